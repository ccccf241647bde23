"""What each attention backend costs on this machine: the `cpu` LM preset (192 wide, 4 blocks, 6 heads, 1,000 codes)
on windows of 8 latent frames of 8x8 (512 tokens), batch 4: training (forward + backward + AdamW), forward only, and
generation of 4 latent frames (256 tokens) with the KV cache, in tokens per second, SDPA (the CPU default) beside
FlexAttention and the plain reference. FlexAttention has no backward on the CPU (its training column says so); on
CUDA it is compiled into one fused kernel, and these CPU figures say nothing about that.

    .venv/bin/python benchmarks/bench_attention.py --out runs/bench_attention.json
"""
import argparse, json, statistics, time, warnings
from pathlib import Path
import torch
from willie_gen.generate import generate_tokens
from willie_gen.lm import FilmLM, lm_preset, lm_inputs, lm_loss

def timed(f, repeats:int) -> float:
    f()  # warm-up (caches, block masks)
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repeats', type=int, default=3); p.add_argument('--out', default='runs/bench_attention.json')
    a = p.parse_args()
    warnings.simplefilter('ignore')  # FlexAttention's unfused CPU path warns that it is for debugging
    torch.manual_seed(0)
    cfg = lm_preset('cpu', levels=(8, 5, 5, 5), latent_hw=(8, 8), context_frames=8)
    m = FilmLM(cfg); opt = torch.optim.AdamW(m.parameters(), 1e-4)
    x = torch.randint(0, cfg.codebook_size, (4, cfg.context))
    n_train = x.numel()
    res = {}
    for backend in ('sdpa', 'flex', 'reference'):
        r = {}
        def step():
            loss = lm_loss(m, x, backend=backend); opt.zero_grad(); loss.backward(); opt.step()
        if backend == 'flex': r['train_tokens_per_s'] = None  # no backward on the CPU
        else: r['train_tokens_per_s'] = n_train / timed(step, a.repeats)
        with torch.no_grad(): r['forward_tokens_per_s'] = n_train / timed(lambda: m(lm_inputs(x, cfg), backend=backend), a.repeats)
        prompt = x[:1, :cfg.frame_tokens]
        n_gen = 4 * cfg.frame_tokens
        r['generate_tokens_per_s'] = n_gen / timed(lambda: generate_tokens(m, n_gen, prompt, temperature=0, backend=backend), max(1, a.repeats - 2))
        res[backend] = r
        fmt = lambda v: '   n/a (no backward on the CPU)' if v is None else f'{v:9.0f}'
        print(f"{backend:9} train {fmt(r['train_tokens_per_s'])} tok/s | forward {r['forward_tokens_per_s']:9.0f} tok/s | "
              f"generate (KV cache) {r['generate_tokens_per_s']:7.1f} tok/s", flush=True)
    b = res['sdpa']
    print('\nratios to SDPA:')
    for k, r in res.items():
        print(f"  {k:9} " + ', '.join(f"{name} {r[key] / b[key]:.2f}x" for name, key in [('train', 'train_tokens_per_s'), ('forward', 'forward_tokens_per_s'), ('generate', 'generate_tokens_per_s')] if r[key]))
    res['torch'], res['threads'] = torch.__version__, torch.get_num_threads()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)

if __name__ == '__main__': main()
