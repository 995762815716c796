"""The network: the bipartite graph and its projections, views and the backbone."""
