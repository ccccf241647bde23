"""CPU threads: what a training step of the `cpu` tokenizer costs with 1 or 2 torch threads, OpenMP's default wait
policy or PASSIVE, on an idle machine and on one where another process keeps a core busy; and where the time of the
`cpu` pipeline's tokenizer step goes (the bare forward/backward/Adam step, the trainer's bookkeeping, augmentation).

    .venv/bin/python benchmarks/bench_threads.py --out runs/bench_threads.json

Each configuration runs in a fresh process (thread count and wait policy are read when OpenMP starts), timing
`--steps` steps after two warm-up steps, on synthetic 17x64x64 clips, batch 2 (the pipeline's). "Busy" starts one other
process for the duration: one that spins on a core (`spin`), or another torch training process with the default
threads and wait policy, as a test run or a second training is (`torch`). Run it alone: it measures contention, so
anything else running skews it.
"""
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path

def worker(mode:str, steps:int):
    import torch
    from willie_gen.tokenizer import VideoTokenizer, preset
    from willie_gen.tokenizer_train import TokenizerTrainer, TokenizerTrainConfig
    torch.manual_seed(0)
    clips = [torch.rand(1, 17, 64, 64) * 2 - 1 for _ in range(16)]
    times = []
    if mode == 'bare':  # the model's forward, backward and Adam step, nothing else
        m = VideoTokenizer(preset('cpu')); opt = torch.optim.Adam(m.parameters(), 1e-3)
        for i in range(steps + 2):
            x = torch.stack(clips[2 * (i % 8):2 * (i % 8) + 2]); t0 = time.perf_counter()
            r, _ = m(x); loss = (r - x).abs().mean(); opt.zero_grad(); loss.backward(); opt.step()
            times.append(time.perf_counter() - t0)
    else:  # the trainer (EMA, clipping, finite checks, schedule), with or without the pipeline's augmentation
        aug = dict(zoom=0.5, jitter=0.1) if mode == 'trainer_aug' else dict(zoom=1.0, jitter=0.0)
        stamps = []
        cfg = TokenizerTrainConfig(steps=steps + 2, val_every=0, sample_every=0, ckpt_every=0, log_every=10**6, progress=False, **aug)
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            t = TokenizerTrainer(preset('cpu'), cfg, clips, None, d, callbacks=[lambda t: stamps.append(time.perf_counter())])
            t0 = time.perf_counter(); t.fit()
        times = [b - a for a, b in zip([t0] + stamps[:-1], stamps)]
    print(json.dumps(dict(s_per_step=statistics.median(times[2:]), threads=torch.get_num_threads(), torch=torch.__version__)))

COMPETITORS = {'spin': [sys.executable, '-c', 'while True: pass'],
               'torch': [sys.executable, __file__, '--worker', 'trainer_aug', '--steps', '100000']}

def run(mode, threads, passive, busy, steps) -> dict: # busy: None, 'spin' or 'torch'
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads)}
    env.pop('OMP_WAIT_POLICY', None)
    if passive: env['OMP_WAIT_POLICY'] = 'PASSIVE'
    clean = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'OMP_WAIT_POLICY')}
    spinner = subprocess.Popen(COMPETITORS[busy], env=clean, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if busy else None
    if busy == 'torch': time.sleep(8)  # let it start training
    try:
        r = subprocess.run([sys.executable, __file__, '--worker', mode, '--steps', str(steps)], env=env, capture_output=True, text=True, check=True)
    finally:
        if spinner: spinner.kill(); spinner.wait()
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--worker', default=None); p.add_argument('--steps', type=int, default=10)
    p.add_argument('--out', default='runs/bench_threads.json')
    a = p.parse_args()
    if a.worker: return worker(a.worker, a.steps)
    res = {}
    for busy in (None, 'spin', 'torch'):
        for threads in (2, 1):
            for passive in (False, True):
                key = f"{'busy (' + busy + ')' if busy else 'idle'} threads={threads} wait={'PASSIVE' if passive else 'default'}"
                res[key] = run('trainer_aug', threads, passive, busy, a.steps)
                print(f"{key:46} {res[key]['s_per_step']:.3f} s/step", flush=True)
    base = res['idle threads=2 wait=default']['s_per_step']
    print(f"\nratios to the idle machine with 2 threads and the default wait policy ({base:.3f} s/step, torch {res['idle threads=2 wait=default']['torch']}):")
    for k, v in res.items(): print(f"  {k:46} {v['s_per_step'] / base:5.2f}x")
    print('\nwhere a step goes (idle, 2 threads, PASSIVE):')
    for mode in ('bare', 'trainer', 'trainer_aug'):
        res[f'breakdown {mode}'] = run(mode, 2, True, None, a.steps)
        print(f"  {mode:12} {res[f'breakdown {mode}']['s_per_step']:.3f} s/step", flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)

if __name__ == '__main__': main()
