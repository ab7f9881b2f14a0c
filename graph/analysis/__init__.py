"""Analysis: the only stage that knows networkx. Measures plain facts of a built graph."""
