"""The reply network: member -> member edges, degree, betweenness, k-core and the core group.

Edges: a message whose ``reply_to`` points to another member's message answers that member (weight 1);
a message without ``reply_to`` that is not the first of its thread answers the thread's starter
(weight ``participation_weight``, 0.5 by default: flat forums rarely say whom they answer).
Guests and deleted accounts are not nodes. Self-replies are dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from chrysalide.community.betweenness import betweenness, core_numbers
from chrysalide.community.order import ensure_ordered
from chrysalide.store import Store


def reply_edges(store: Store, participation_weight: float = 0.5) -> pd.DataFrame:
    """One row per answering message: source (answerer), target (answered), posted_at, weight."""
    ensure_ordered(store)
    return store.con.execute(
        """
        WITH starters AS (SELECT thread_id, member_id AS starter_id FROM chrys_ordered WHERE pos = 0)
        SELECT m.member_id AS source,
               CASE WHEN p.message_id IS NOT NULL THEN p.member_id ELSE s.starter_id END AS target,
               m.posted_at,
               CASE WHEN p.message_id IS NOT NULL THEN 1.0 ELSE ? END AS weight
        FROM chrys_ordered m
        LEFT JOIN messages p ON p.message_id = m.reply_to_id
        LEFT JOIN starters s ON s.thread_id = m.thread_id
        WHERE m.member_id IS NOT NULL
          AND (p.message_id IS NOT NULL OR m.pos > 0)
          AND target IS NOT NULL AND target <> m.member_id
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
            self.n_edges_ = 0
            return self
        nodes, adjacency, strength = _undirected(edges)
        self.n_edges_ = int(adjacency.nnz // 2)
        directed = edges.drop_duplicates(["source", "target"])
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
