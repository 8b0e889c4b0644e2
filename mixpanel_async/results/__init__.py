"""Hand-written result types (attrs, frozen) with the seed's field names and a cached `.df`.

One module per API family: `query` (the classic Query API), `insights` (saved reports),
`flows`, `data_definitions` (the schema graph), `stream` (the activity feed), `lexicon`.
"""
