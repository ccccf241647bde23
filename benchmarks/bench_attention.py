"""What each attention backend costs on this machine: the `cpu` LM preset (192 wide, 4 blocks, 6 heads, 1,000 codes)
on windows of 8 latent frames of 8x8 (512 tokens), batch 4: training (`lm_loss`, backward, AdamW), forward only, and
generation (`generate_tokens`, greedy) of 4 latent frames (256 tokens) with the KV cache, in tokens per second, SDPA
(the CPU default) beside FlexAttention and the plain reference. FlexAttention has no backward on the CPU (its training
column says so); on CUDA it is compiled into one fused kernel, and these CPU figures say nothing about that.
`--dim/--depth/--heads`, `--latent`, `--frames`, `--batch` and `--gen_frames` change the sizes (smaller for a smoke
test); times are the best of `--repeats` after one warm-up call (`benchmarks/common.py`'s `timed`).

    .venv/bin/python benchmarks/bench_attention.py --out runs/bench_attention.json [--record attention]
"""
import argparse, json, warnings
from pathlib import Path
import torch
from common import timed, add_record_arg, write_result
from willie_gen.generate import generate_tokens
from willie_gen.heads import Sampling
from willie_gen.lm import FilmLM, lm_preset, lm_inputs, lm_loss

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repeats', type=int, default=3); p.add_argument('--out', default='runs/bench_attention.json')
    p.add_argument('--dim', type=int, default=192); p.add_argument('--depth', type=int, default=4); p.add_argument('--heads', type=int, default=6)
    p.add_argument('--latent', type=int, default=8, help='latent frame size (latent x latent tokens)')
    p.add_argument('--frames', type=int, default=8, help='latent frames per training window'); p.add_argument('--batch', type=int, default=4)
    p.add_argument('--gen_frames', type=int, default=4, help='latent frames to generate after a one-frame prompt')
    p.add_argument('--backends', default='sdpa,flex,reference')
    add_record_arg(p)
    a = p.parse_args()
    warnings.simplefilter('ignore')  # FlexAttention's unfused CPU path warns that it is for debugging
    torch.manual_seed(0)
    cfg = lm_preset('cpu', levels=(8, 5, 5, 5), latent_hw=(a.latent, a.latent), context_frames=a.frames, dim=a.dim, depth=a.depth, heads=a.heads)
    m = FilmLM(cfg); opt = torch.optim.AdamW(m.parameters(), 1e-4)
    x = torch.randint(0, cfg.codebook_size, (a.batch, cfg.context))
    n_train = x.numel()
    res = {}
    for backend in a.backends.split(','):
        r = {}
        def step():
            loss = lm_loss(m, x, backend=backend); opt.zero_grad(); loss.backward(); opt.step()
        if backend == 'flex': r['train_tokens_per_s'] = None  # no backward on the CPU
        else: r['train_tokens_per_s'] = n_train / timed(step, a.repeats, warmup=1)[0]
        with torch.no_grad(): r['forward_tokens_per_s'] = n_train / timed(lambda: m(lm_inputs(x, cfg), backend=backend), a.repeats, warmup=1)[0]
        prompt = x[:1, :cfg.frame_tokens]
        n_gen = a.gen_frames * cfg.frame_tokens
        r['generate_tokens_per_s'] = n_gen / timed(lambda: generate_tokens(m, n_gen, prompt, Sampling(temperature=0), backend=backend), max(1, a.repeats - 2), warmup=1)[0]
        res[backend] = r
        fmt = lambda v: '   n/a (no backward on the CPU)' if v is None else f'{v:9.0f}'
        print(f"{backend:9} train {fmt(r['train_tokens_per_s'])} tok/s | forward {r['forward_tokens_per_s']:9.0f} tok/s | "
              f"generate (KV cache) {r['generate_tokens_per_s']:7.1f} tok/s", flush=True)
    b = res['sdpa'] if 'sdpa' in res else next(iter(res.values()))
    print(f"\nratios to {'SDPA' if 'sdpa' in res else next(iter(res))}:")
    for k, r in res.items():
        print(f"  {k:9} " + ', '.join(f"{name} {r[key] / b[key]:.2f}x" for name, key in [('train', 'train_tokens_per_s'), ('forward', 'forward_tokens_per_s'), ('generate', 'generate_tokens_per_s')] if r[key] and b[key]))
    res['torch'], res['threads'] = torch.__version__, torch.get_num_threads()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)
    if a.record: write_result(a.record, [dict(backend=k, **v) for k, v in res.items() if isinstance(v, dict)],
                              settings=dict(dim=a.dim, depth=a.depth, heads=a.heads, latent=a.latent, frames=a.frames, batch=a.batch, gen_frames=a.gen_frames, repeats=a.repeats))

if __name__ == '__main__': main()
