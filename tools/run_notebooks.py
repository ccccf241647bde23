"""Run notebooks and keep their outputs, as nbdev's own notebooks do (the docs site shows them; it does not execute).

Runs the cells `nbdev_test` runs (not `slow` or `gpu` cells, not `eval: false`), each notebook in its own folder, one
torch thread, and writes every code cell's outputs back into the notebook; a cell that was not run keeps the outputs
it had (a real run's, where one was saved). Outputs over `--max_kb` are dropped (media belongs in `nbs/images`), and
so are widget views and states (a widget with a still, as willie_gen's players have, keeps the still). Then run `nbdev_clean` (CI checks that it changes nothing).

    .venv/bin/python tools/run_notebooks.py                 # every notebook in nbs/
    .venv/bin/python tools/run_notebooks.py 08_tokenizer 10_train
    .venv/bin/python tools/run_notebooks.py 21_own_video --slow    # also the `slow` cells, outputs labelled with date and machine
"""
import argparse, datetime, json, os, platform, sys
from pathlib import Path
os.environ.setdefault('OMP_NUM_THREADS', '1'); os.environ['IN_TEST'] = '1'
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.frontmatter import FrontmatterProc
from nbdev.process import NBProcessor

ROOT = Path(__file__).resolve().parent.parent
SKIP = {'slow', 'gpu'}  # the flags `nbdev_test` skips unless asked

def _skip(cell) -> bool:
    "The cells `nbdev_test` does not run."
    if cell.cell_type != 'code': return True
    if 'nbdev_export' + '(' in cell.source: return True
    d = getattr(cell, 'directives_', {}) or {}
    return d.get('eval:', [''])[0].lower() == 'false' or bool(SKIP & d.keys())

def _is_slow(cell) -> bool: return 'slow' in (getattr(cell, 'directives_', {}) or {})

def _provenance() -> dict:
    "A first output line for a `slow` cell's saved outputs: when and where that real run happened."
    import torch
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'
    return dict(name='stdout', output_type='stream', text=[f"[saved output of a real run: {datetime.date.today()}, {os.cpu_count()} CPU cores, "
                                                            f"{gpu}, torch {torch.__version__}, {platform.system()}]\n"])

WIDGET = 'application/vnd.jupyter.widget-view+json'

def _without_widget(out):
    "An output without its widget view (its state is not saved, so no page can show it): the still beside it stays, a bare widget goes."
    data = out.get('data', {})
    if WIDGET not in data: return out
    data = {k: v for k, v in data.items() if k != WIDGET}
    return {**out, 'data': data} if set(data) - {'text/plain'} else None

def _blank(out) -> bool: return out.get('output_type') == 'stream' and not ''.join(out.get('text', '')).strip()  # a stray newline

def run(path:Path, max_kb:int=200) -> tuple: # (cells with outputs, outputs dropped as too big)
    "Execute one notebook and save its outputs into it."
    nb = NBProcessor(path, procs=FrontmatterProc, process=True).nb
    shell = CaptureShell(path)
    with working_directory(path.parent): shell.run_all(nb, exc_stop=True, preproc=_skip)
    ran = {c.id: c for c in nb.cells if c.cell_type == 'code' and not _skip(c)}
    raw, kept, dropped = read_nb(path), 0, 0
    for c in raw.cells:
        if c.cell_type != 'code' or c.id not in ran: continue
        outs = [_without_widget(o) for o in ran[c.id].get('outputs', [])]
        outs = [o for o in outs if o is not None and not _blank(o)]
        small = [o for o in outs if len(json.dumps(o)) <= max_kb * 1024]
        dropped += len(outs) - len(small); kept += bool(small)
        c['outputs'] = [_provenance()] + small if small and _is_slow(ran[c.id]) else small
    raw.get('metadata', {}).pop('widgets', None)
    write_nb(raw, path)
    return kept, dropped

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('names', nargs='*', help='notebook names without .ipynb (default: all in nbs/)')
    p.add_argument('--max_kb', type=int, default=200, help='drop any single output larger than this')
    p.add_argument('--slow', action='store_true', help="also run the `slow` cells (real data, minutes) and keep their outputs, labelled")
    a = p.parse_args()
    if a.slow: SKIP.discard('slow')
    paths = [ROOT/'nbs'/f'{n}.ipynb' for n in a.names] or sorted((ROOT/'nbs').glob('[!_]*.ipynb'))
    if len(paths) > 1:  # each notebook in its own process, as nbdev_test runs them: no state leaks from one to the next
        import subprocess
        rcs = [subprocess.run([sys.executable, __file__, p.stem, '--max_kb', str(a.max_kb)] + ['--slow'] * a.slow).returncode for p in paths]
        sys.exit(1 if any(rcs) else 0)
    try: kept, dropped = run(paths[0], a.max_kb); print(f"{paths[0].name}: {kept} cells with outputs" + (f", {dropped} outputs over {a.max_kb} KB dropped" if dropped else ''), flush=True)
    except Exception as e: print(f"{paths[0].name}: FAILED ({type(e).__name__}: {str(e)[:300]})", flush=True); sys.exit(1)
