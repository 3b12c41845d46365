"""Pictures of the project: what ``ssot-scan graph`` writes and the HTML report draws.

``views`` turns an analysis into small networkx graphs (the import graph, the cycles
with their breakers, one symbol's importers, paths and definitions); ``formats``
writes any of them as DOT, Mermaid, GraphML or node-link JSON; ``layout`` places
one on a page as SVG, with no graphviz at run time.
"""

# Here, not in ``formats``: the command line lists them without importing networkx.
GRAPH_FORMATS = ("dot", "mermaid", "graphml", "json")
