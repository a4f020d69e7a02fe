"""UnionHub: the digital work of a trade-union federation."""
