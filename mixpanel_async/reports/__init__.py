"""Typed report builders: bookmark JSON from keyword arguments, checked before any request."""
