"""What every benchmark shares: one timing helper, so that all of them time alike."""
import time
import torch

def _sync():
    "Wait for the GPU's queued work (a no-op where CUDA was never used): a timing then covers what was launched."
    if torch.cuda.is_available() and torch.cuda.is_initialized(): torch.cuda.synchronize()

def timed(fn, repeats:int=1, warmup:int=0) -> tuple: # (best seconds over `repeats` calls, the last call's output)
    "Call `fn()` `warmup` times untimed, then `repeats` times timed; CUDA is synchronised around every timed call."
    for _ in range(warmup): fn()
    best, out = float('inf'), None
    for _ in range(max(1, repeats)):
        _sync(); t0 = time.perf_counter(); out = fn(); _sync()
        best = min(best, time.perf_counter() - t0)
    return best, out
