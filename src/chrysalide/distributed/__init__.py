"""Where per-frame work runs: here, in a pool of processes, or on a Dask cluster (:func:`map_frames`)."""

from chrysalide.distributed.executor import EXECUTORS, Execution, Outputs, map_frames, map_partitions
from chrysalide.distributed.pool import map_ordered

__all__ = ["EXECUTORS", "Execution", "Outputs", "map_frames", "map_ordered", "map_partitions"]
