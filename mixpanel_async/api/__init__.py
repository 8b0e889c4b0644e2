"""One mixin per API family; `AsyncWorkspace` composes them."""
