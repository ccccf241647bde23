"""What every benchmark shares: one timing helper, so that all of them time alike, and one writer of the JSON files
under `benchmarks/results/` that the Results page (`nbs/results.ipynb`) reads its tables from.

A benchmark writes its result file only when asked: `--record NAME` (added by `add_record_arg`) writes
`benchmarks/results/NAME.json` with the command line, the date, the machine and the rows, so that smoke tests and
trial runs never overwrite a figure on the page. `WILLIE_GEN_RESULTS=DIR` writes into DIR instead.
"""
import json, os, platform, shlex, subprocess, sys, time
from datetime import datetime, timezone
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT/'benchmarks'/'results'
_T0, _LOAD0 = time.time(), (os.getloadavg() if hasattr(os, 'getloadavg') else None)  # when the benchmark imported this

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

def _cpu_model() -> str:
    try: return next(l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

def _git() -> str|None: # the commit the benchmark ran on, '+dirty' when the work tree had changes
    try:
        run = lambda *a: subprocess.run(['git', *a], cwd=ROOT, capture_output=True, text=True, timeout=10)
        head = run('rev-parse', 'HEAD').stdout.strip()
        return head and head + ('+dirty' if run('status', '--porcelain', '--untracked-files=no').stdout.strip() else '')
    except (OSError, subprocess.SubprocessError): return None

def machine(device=None) -> dict:
    "What ran the benchmark: CPU, core count, torch and its threads, the device, and the load average when it started and ended."
    dev = str(device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    load1 = os.getloadavg() if hasattr(os, 'getloadavg') else None
    return dict(cpu=_cpu_model(), cpu_count=os.cpu_count(), platform=platform.platform(), python=platform.python_version(),
                torch=torch.__version__, torch_threads=torch.get_num_threads(), device=dev,
                gpu=torch.cuda.get_device_name() if dev.startswith('cuda') and torch.cuda.is_available() else None,
                load_average=dict(start=_LOAD0 and [round(x, 2) for x in _LOAD0], end=load1 and [round(x, 2) for x in load1]))

def command_line(argv=None) -> str:
    "The command that ran, as it would be typed at the repository root."
    argv = list(sys.argv if argv is None else argv)
    if argv and Path(argv[0]).is_absolute():
        try: argv[0] = str(Path(argv[0]).resolve().relative_to(ROOT))
        except ValueError: pass
    return shlex.join(['python', *argv])

def write_result(name:str, # file name under `benchmarks/results/` (without `.json`)
                 rows, # the figures: a list of dicts (one per table row), or any JSON value
                 command:str|None=None, # default: this process's command line
                 device=None, # default: cuda where available, else cpu
                 results_dir=None, # default: $WILLIE_GEN_RESULTS, else benchmarks/results
                 **extra) -> Path: # anything else worth keeping (settings, notes)
    "Write `benchmarks/results/<name>.json`: the command line, the date, the machine, the run's seconds and the rows."
    d = Path(results_dir or os.environ.get('WILLIE_GEN_RESULTS') or RESULTS)
    d.mkdir(parents=True, exist_ok=True)
    res = dict(name=name, command=command or command_line(), date=datetime.now(timezone.utc).isoformat(timespec='seconds'),
               git=_git(), machine=machine(device), seconds=round(time.time() - _T0, 1), **extra, rows=rows)
    path = d/f'{name}.json'
    tmp = path.with_suffix('.json.tmp'); tmp.write_text(json.dumps(res, indent=1) + '\n'); tmp.replace(path)
    print('recorded in', path)
    return path

def add_record_arg(p):
    "Add `--record NAME` to an argparse parser."
    p.add_argument('--record', metavar='NAME', default=None,
                   help='also write benchmarks/results/NAME.json (command, date, machine, rows): what the Results page reads')
    return p
