"""CPU threads: what a training step of the `cpu` tokenizer costs with 1 or 2 torch threads, OpenMP's default wait
policy or PASSIVE, on an idle machine and on one where another process keeps a core busy; and where the time of the
`cpu` pipeline's tokenizer step goes (the bare forward/backward/Adam step, `TokenizerTrainer`'s bookkeeping,
augmentation).

    .venv/bin/python benchmarks/bench_threads.py --out runs/bench_threads.json [--record threads]

Each configuration runs in a fresh process (thread count and wait policy are read when OpenMP starts), timing
`--steps` steps after two warm-up steps, on synthetic 17x64x64 clips, batch 2 (the pipeline's). "Busy" starts one other
process for the duration: one that spins on a core (`spin`), or another torch training process with the default
threads and wait policy, as a test run or a second training is (`torch`). Run it alone: it measures contention, so
anything else running skews it. `--busy`, `--threads`, `--wait` and `--breakdown` choose the configurations;
`--preset`, `--size` and `--clip_len` the tokenizer and its clips (smaller for a smoke test).
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from common import add_record_arg, write_result

def worker(mode:str, steps:int, preset_name:str='cpu', size:int=64, clip_len:int=17):
    import torch
    from common import timed
    from willie_gen.tokenizer import VideoTokenizer, preset
    from willie_gen.tokenizer_train import TokenizerTrainer, TokenizerTrainConfig
    torch.manual_seed(0)
    clips = [torch.rand(1, clip_len, size, size) * 2 - 1 for _ in range(16)]
    times = []
    if mode == 'bare':  # the model's forward, backward and Adam step, nothing else
        m = VideoTokenizer(preset(preset_name)); opt = torch.optim.Adam(m.parameters(), 1e-3)
        def step(x):
            r, _ = m(x); loss = (r - x).abs().mean(); opt.zero_grad(); loss.backward(); opt.step()
        for i in range(steps + 2):
            x = torch.stack(clips[2 * (i % 8):2 * (i % 8) + 2]); times.append(timed(lambda: step(x))[0])
    else:  # the trainer (EMA, clipping, finite checks, schedule), with or without the pipeline's augmentation
        aug = dict(zoom=0.5, jitter=0.1) if mode == 'trainer_aug' else dict(zoom=1.0, jitter=0.0)
        stamps = []
        cfg = TokenizerTrainConfig(steps=steps + 2, val_every=0, sample_every=0, ckpt_every=0, log_every=10**6, progress=False, **aug)
        with tempfile.TemporaryDirectory() as d:
            t = TokenizerTrainer(preset(preset_name), cfg, clips, None, d, callbacks=[lambda t: stamps.append(time.perf_counter())])
            t0 = time.perf_counter(); t.fit()
        times = [b - a for a, b in zip([t0] + stamps[:-1], stamps)]
    print(json.dumps(dict(s_per_step=statistics.median(times[2:]), threads=torch.get_num_threads(), torch=torch.__version__)))

def run(a, mode, threads, passive, busy) -> dict: # busy: None, 'spin' or 'torch'
    sizes = ['--preset', a.preset, '--size', str(a.size), '--clip_len', str(a.clip_len)]
    competitors = {'spin': [sys.executable, '-c', 'while True: pass'],
                   'torch': [sys.executable, __file__, '--worker', 'trainer_aug', '--steps', '100000', *sizes]}
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads)}
    env.pop('OMP_WAIT_POLICY', None)
    if passive: env['OMP_WAIT_POLICY'] = 'PASSIVE'
    clean = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'OMP_WAIT_POLICY')}
    spinner = subprocess.Popen(competitors[busy], env=clean, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if busy else None
    if busy == 'torch': time.sleep(8)  # let it start training
    try:
        r = subprocess.run([sys.executable, __file__, '--worker', mode, '--steps', str(a.steps), *sizes], env=env, capture_output=True, text=True)
        if r.returncode: raise SystemExit(f"the {mode} worker failed:\n{r.stderr}")
    finally:
        if spinner: spinner.kill(); spinner.wait()
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--worker', default=None); p.add_argument('--steps', type=int, default=10)
    p.add_argument('--busy', default='idle,spin,torch', help='machine states to compare (comma-separated)')
    p.add_argument('--threads', default='2,1', help='torch thread counts (the first is the baseline)')
    p.add_argument('--wait', default='default,PASSIVE', help='OpenMP wait policies')
    p.add_argument('--breakdown', default='bare,trainer,trainer_aug', help="steps to break down (idle, the first thread count, PASSIVE; empty: none)")
    p.add_argument('--preset', default='cpu'); p.add_argument('--size', type=int, default=64); p.add_argument('--clip_len', type=int, default=17)
    p.add_argument('--out', default='runs/bench_threads.json'); add_record_arg(p)
    a = p.parse_args()
    if a.worker: return worker(a.worker, a.steps, a.preset, a.size, a.clip_len)
    res, threads = {}, [int(t) for t in a.threads.split(',')]
    for busy in a.busy.split(','):
        for n in threads:
            for wait in a.wait.split(','):
                key = f"{'idle' if busy == 'idle' else 'busy (' + busy + ')'} threads={n} wait={wait}"
                res[key] = run(a, 'trainer_aug', n, wait == 'PASSIVE', None if busy == 'idle' else busy)
                print(f"{key:46} {res[key]['s_per_step']:.3f} s/step", flush=True)
    first = next(iter(res))
    base = res[first]['s_per_step']
    print(f"\nratios to {first} ({base:.3f} s/step, torch {res[first]['torch']}):")
    for k, v in res.items(): print(f"  {k:46} {v['s_per_step'] / base:5.2f}x")
    if a.breakdown: print(f'\nwhere a step goes (idle, {threads[0]} threads, PASSIVE):')
    for mode in filter(None, a.breakdown.split(',')):
        res[f'breakdown {mode}'] = run(a, mode, threads[0], True, None)
        print(f"  {mode:12} {res[f'breakdown {mode}']['s_per_step']:.3f} s/step", flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)
    if a.record: write_result(a.record, [dict(configuration=k, **v) for k, v in res.items()],
                              settings=dict(steps=a.steps, preset=a.preset, size=a.size, clip_len=a.clip_len))

if __name__ == '__main__': main()
