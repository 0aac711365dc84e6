"""The hand-built forums live with the journeys tests; make them importable here too."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))
