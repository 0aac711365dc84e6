"""Dask execution of the per-message and per-member stages over partitioned Parquet."""

from chrysalide.distributed.executor import EXECUTORS, Outputs, map_partitions

__all__ = ["EXECUTORS", "Outputs", "map_partitions"]
