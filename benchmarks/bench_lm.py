"""Language-model benchmarks, each compared inside one run (ratios, not absolute times):

1. generation of 1,280 tokens (5 latent frames of 16x16, one `base`-sized clip) with vs without the KV cache, for a
   vocabulary of 64,000 codes (FSQ 8,8,8,5,5,5) and of 1,000 (8,5,5,5), with the full softmax head and the factorized
   one (two groups of FSQ digits), each alone and mixed with the copy head;
2. next-block generation (a latent row or a latent frame per step) and masked decoding (a frame in 8 steps) vs token
   by token, all with the cache;
3. training throughput (tokens/s, forward + backward + AdamW) per head, and of every attention backend available here
   (flash-attn only on CUDA with fp16/bf16; SDPA with the cached ALiBi bias; the plain reference).

    .venv/bin/python benchmarks/bench_lm.py [--device cpu|cuda] [--dim 192 --depth 4 --heads 6] [--out runs/bench_lm.json]

The models are untrained (speed does not depend on the weights); `generate` is greedy so every run does the same work.
"""
import argparse, json, time
from pathlib import Path
import numpy as np, torch, torch.nn.functional as F
from willie_gen.attention import HAS_FLASH
from willie_gen.lm import FilmLM, lm_preset, lm_inputs, frame_before
from willie_gen.generate import generate_tokens

def timed(fn, repeats=1):
    best = float('inf')
    for _ in range(repeats):
        if torch.cuda.is_available(): torch.cuda.synchronize()
        t0 = time.perf_counter(); out = fn()
        if torch.cuda.is_available(): torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return best, out

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--dim', type=int, default=192); p.add_argument('--depth', type=int, default=4); p.add_argument('--heads', type=int, default=6)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--outputs', default='full,factorized,full+copy,factorized+copy', help='output heads to measure (comma-separated)')
    p.add_argument('--codes', default='64000,1000', help='vocabularies to measure: 64000 (FSQ 8,8,8,5,5,5) and/or 1000 (8,5,5,5)')
    p.add_argument('--out', default='runs/bench_lm.json')
    a = p.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    dev, dtype = torch.device(a.device), torch.bfloat16 if a.device == 'cuda' else torch.float32
    shape = dict(dim=a.dim, depth=a.depth, heads=a.heads, latent_hw=(16, 16), context_frames=5, dropout=0.0, spatial=True)
    res = dict(device=str(dev), dtype=str(dtype), torch=torch.__version__, threads=a.threads, model=shape, flash_attn=HAS_FLASH)
    n = 5 * 256  # 1,280 tokens

    heads = [(h.split('+')[0], h.endswith('+copy')) for h in a.outputs.split(',')]
    for levels in [{'64000': (8, 8, 8, 5, 5, 5), '1000': (8, 5, 5, 5)}[c] for c in a.codes.split(',')]:
      for head, copy in heads:
        key, sh = f'{np.prod(levels)}_codes_{head}' + ('_copy' if copy else ''), dict(shape, levels=levels, head=head, copy=copy)
        # 1. KV cache
        m = FilmLM(lm_preset('cpu', **sh)).to(dev, dtype).eval()
        t_cache, with_cache = timed(lambda: generate_tokens(m, n, batch=1, temperature=0, use_cache=True), a.repeats)
        t_full, without = timed(lambda: generate_tokens(m, n, batch=1, temperature=0, use_cache=False), 1)
        r = res[key] = dict(levels=levels, head=head, params=m.num_params())
        r['kv_cache'] = dict(tokens=n, with_cache_s=t_cache, without_cache_s=t_full, speedup=t_full / t_cache, same_tokens=bool((with_cache == without).all()))
        print(f"[{np.prod(levels):,} codes, {head} head{' + copy head' if copy else ''}, {m.num_params() / 1e6:.1f}M params] 1,280 tokens token by token: KV cache {t_cache:.2f}s, "
              f"recomputing {t_full:.1f}s -> {t_full / t_cache:.1f}x (identical greedy tokens: {r['kv_cache']['same_tokens']})", flush=True)
        # 2. next-block and masked vs token by token (all with the cache)
        r['next_block'] = {'token': dict(steps=n, seconds=t_cache, tokens_per_s=n / t_cache)}
        for block in ('row', 'frame', 'masked'):
            mb = FilmLM(lm_preset('cpu', **sh, block=block)).to(dev, dtype).eval()
            t, _ = timed(lambda: generate_tokens(mb, n, batch=1, temperature=0, use_cache=True, steps=8), a.repeats)
            steps = n // mb.cfg.block_size * (8 + 1 if block == 'masked' else 1)  # masked: 8 reveal steps + keeping the frame
            r['next_block'][block] = dict(steps=steps, seconds=t, tokens_per_s=n / t, speedup_vs_token=t_cache / t)
            print(f"   {block:6} ({mb.cfg.block_size} tokens per block): {steps} model calls, {t:.2f}s -> {t_cache / t:.1f}x faster than token by token", flush=True)

    # 3. training throughput per head and per attention backend
    backends = ['sdpa', 'reference'] + (['flash'] if HAS_FLASH and dev.type == 'cuda' else [])
    x = None
    res['train_tokens_per_s'] = {}
    for head in a.outputs.split(','):
        mt = FilmLM(lm_preset('cpu', **{**shape, 'latent_hw': (8, 8), 'context_frames': 8, 'head': head.split('+')[0], 'copy': head.endswith('copy')})).to(dev)
        opt = torch.optim.AdamW(mt.parameters(), 1e-4)
        x = torch.randint(0, mt.cfg.codebook_size, (4, mt.cfg.context), device=dev)
        for be in backends if head == 'full' else ['sdpa']:
            def step():
                with torch.autocast(dev.type, dtype=dtype, enabled=dev.type == 'cuda'):
                    h = mt(lm_inputs(x, mt.cfg), backend=be)
                mt.nll(h.float(), x, prev=frame_before(x, mt.cfg)).mean().backward(); opt.step(); opt.zero_grad()
            step()  # warm-up
            t, _ = timed(lambda: [step() for _ in range(3)], a.repeats)
            res['train_tokens_per_s'][f'{head} {be}'] = 3 * x.numel() / t
    base = res['train_tokens_per_s'].get('full reference')
    print('training tokens/s (batch 4 x 512, 64,000 codes):', ', '.join(f"{k} {v:,.0f}" + (f" ({v / base:.2f}x full reference)" if base else '') for k, v in res['train_tokens_per_s'].items()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print('written to', a.out)

if __name__ == '__main__': main()
