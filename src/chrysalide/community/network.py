"""The reply network: member -> member edges, degree, betweenness, k-core and the core group.

Edges: a message that answers another member's message (view ``reply_targets``) is an edge from its author
to that member: weight 1 when the source says whom it answers (its parent), ``participation_weight`` (0.5
by default) when the target is inferred (the previous message of a flat thread; the submission a comment is
under, in a source of comments without parents, migration 0021). Guests and deleted accounts
are not nodes, so a reply to one of them is a reply to another person without an edge; nor are bot accounts
(:mod:`chrysalide.store.bots`): their messages and the replies to them make no edge. Self-replies are not
replies to another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from chrysalide.community.betweenness import betweenness, core_numbers
from chrysalide.store import Store
from chrysalide.store.bots import not_bot


def reply_edges(store: Store, participation_weight: float = 0.5) -> pd.DataFrame:
    """One row per answering message: source (answerer), target (answered), posted_at, weight, and ``explicit``
    (false where the target is inferred: view ``reply_targets``)."""
    return store.con.execute(
        f"""
        SELECT member_id AS source, target_member_id AS target, posted_at,
               CASE WHEN explicit THEN 1.0 ELSE ? END AS weight, explicit
        FROM reply_targets WHERE reply_to_other AND target_member_id IS NOT NULL
         AND {not_bot("member_id")} AND {not_bot("target_member_id")}
        """,
        [participation_weight],
    ).df()


def _undirected(edges: pd.DataFrame) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray]:
    """Node ids, the symmetric 0/1 adjacency matrix and each node's strength (summed edge weights).

    Built with numpy and scipy directly: networkx took seconds to build the graph of a study-size forum.
    """
    a = np.minimum(edges["source"].to_numpy(), edges["target"].to_numpy())
    b = np.maximum(edges["source"].to_numpy(), edges["target"].to_numpy())
    summed = (
        pd.DataFrame({"a": a, "b": b, "w": edges["weight"].to_numpy()}).groupby(["a", "b"], as_index=False)["w"].sum()
    )
    pairs = summed[["a", "b"]].to_numpy()
    nodes, index = np.unique(pairs.ravel(), return_inverse=True)
    index = index.reshape(-1, 2)
    rows = np.concatenate([index[:, 0], index[:, 1]])
    cols = np.concatenate([index[:, 1], index[:, 0]])
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))
    weights = summed["w"].to_numpy(dtype=float)
    strength = np.bincount(rows, weights=np.concatenate([weights, weights]), minlength=len(nodes))
    return nodes, adjacency, strength


def _adjacency(edges: pd.DataFrame) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Node ids and the symmetric 0/1 adjacency matrix of the undirected graph, without networkx."""
    pairs = np.concatenate([edges[["source", "target"]].to_numpy(), edges[["target", "source"]].to_numpy()])
    nodes, index = np.unique(pairs.ravel(), return_inverse=True)
    index = index.reshape(-1, 2)
    data = np.ones(len(index))
    matrix = sparse.csr_matrix((data, (index[:, 0], index[:, 1])), shape=(len(nodes), len(nodes)))
    return nodes, matrix


class ReplyNetwork:
    """Centralities and k-cores of the reply network.

    Betweenness (unweighted) is exact up to ``exact_max_nodes`` nodes, else estimated from ``k_samples``
    seeded source nodes (``community.betweenness``: Brandes 2001; Brandes & Pich 2007). k-core: Batagelj & Zaversnik
    2003, computed by vectorised peeling in ``community.betweenness``). Core members are the main core (highest k) when it is >= 2.

    Two counts of the network's edges: ``n_answering_pairs_``, the ordered pairs (who answered whom: A answering B
    and B answering A are two; each node's ``out_degree`` is its share of them), and ``n_edges_``, the pairs of
    members linked by a reply either way (A-B once): the edges of the undirected graph the cores and betweenness
    are computed on.
    """

    def __init__(self, *, k_samples: int = 200, exact_max_nodes: int = 2000, seed: int = 0) -> None:
        self.k_samples = k_samples
        self.exact_max_nodes = exact_max_nodes
        self.seed = seed

    def fit(self, edges: pd.DataFrame) -> ReplyNetwork:
        if edges.empty:
            self.nodes_ = pd.DataFrame(
                columns=["member_id", "in_degree", "out_degree", "strength", "betweenness", "core_number", "is_core"]
            )
            self.main_core_k_ = 0
            self.n_edges_ = self.n_answering_pairs_ = 0
            return self
        nodes, adjacency, strength = _undirected(edges)
        self.n_edges_ = int(adjacency.nnz // 2)
        directed = edges.drop_duplicates(["source", "target"])
        self.n_answering_pairs_ = len(directed)
        in_deg = directed.groupby("target").size()
        out_deg = directed.groupby("source").size()
        sample = None if len(nodes) <= self.exact_max_nodes else min(self.k_samples, len(nodes))
        cores = core_numbers(adjacency)
        self.main_core_k_ = int(cores.max()) if len(cores) else 0
        table = pd.DataFrame({"member_id": nodes.astype("int64")})
        table["in_degree"] = table["member_id"].map(in_deg).fillna(0).astype("int64")
        table["out_degree"] = table["member_id"].map(out_deg).fillna(0).astype("int64")
        table["strength"] = strength
        table["betweenness"] = betweenness(adjacency, k=sample, seed=self.seed)
        table["core_number"] = cores
        table["is_core"] = (table["core_number"] == self.main_core_k_) & (self.main_core_k_ >= 2)
        self.nodes_ = table
        return self


def core_by_period(edges: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Members in the main k-core (k >= 2) of each period's reply graph: columns member_id, period.

    ``period`` is the first day of the month (or week starting Monday, or year) as a Timestamp.
    """
    if edges.empty:
        return pd.DataFrame({"member_id": pd.Series(dtype="int64"), "period": pd.Series(dtype="datetime64[us]")})
    unit = {"week": "W-SUN", "month": "M", "year": "Y"}[freq]
    period = edges["posted_at"].dt.to_period(unit).dt.start_time
    rows: list[tuple[int, pd.Timestamp]] = []
    for start, part in edges.groupby(period, sort=True):
        nodes, adjacency = _adjacency(part)
        cores = core_numbers(adjacency)
        top = int(cores.max()) if len(cores) else 0
        if top >= 2:
            rows.extend((int(n), start) for n in nodes[cores == top])
    return pd.DataFrame(rows, columns=["member_id", "period"])
