"""A literate video generation stack trained on Steamboat Willie."""
__version__ = "0.0.1"

import os as _os
# OpenMP threads waiting for work sleep instead of spinning (read when torch loads OpenMP, so set here, first): as fast
# on an idle machine, and 1.4x-1.9x faster when another process shares the cores (benchmarks/bench_threads.py).
_os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
