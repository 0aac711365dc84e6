"""The sparse betweenness and k-core give networkx's answers."""

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from chrysalide.community.betweenness import betweenness, core_numbers


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.gnp_random_graph(80, 0.06, seed=2), nx.path_graph(4),
                                   nx.complete_graph(6), nx.star_graph(5)])  # fmt: skip
def test_matches_networkx(graph):
    nodes = sorted(graph.nodes)
    adjacency = sparse.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=nodes, format="csr"))
    ref_b = nx.betweenness_centrality(graph)
    np.testing.assert_allclose(betweenness(adjacency), [ref_b[n] for n in nodes], atol=1e-12)
    ref_k = nx.core_number(graph)
    assert core_numbers(adjacency).tolist() == [ref_k[n] for n in nodes]


def test_sampled_betweenness_is_close():
    graph = nx.gnp_random_graph(300, 0.03, seed=1)
    adjacency = sparse.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(300), format="csr"))
    exact, sampled = betweenness(adjacency), betweenness(adjacency, k=150, seed=0)
    assert np.corrcoef(exact, sampled)[0, 1] > 0.9
