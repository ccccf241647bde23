"""Language-model benchmarks, each compared inside one run (ratios, not absolute times):

1. generation of `--frames` latent frames of `--latent`x`--latent` tokens (default 5 of 16x16 = 1,280 tokens, one
   `base`-sized clip) with `generate_tokens`, with vs without the KV cache, for a vocabulary of 64,000 codes
   (FSQ 8,8,8,5,5,5) and of 1,000 (8,5,5,5), with the full softmax head and the factorized one (two groups of FSQ
   digits), each alone and mixed with the copy head;
2. next-frame generation (a latent frame per step) and masked decoding (a frame in 8 steps) vs token by token, all
   with the cache;
3. training throughput (tokens/s) per head: `LMTrainer.train_step` (forward, backward, clipping, AdamW: the step
   `willie-gen lm train` takes) on windows of `--train_frames` latent frames of `--train_latent`x`--train_latent`;
   and, with the full head, of every attention backend available here through `lm_loss` (flash-attn only on CUDA
   with fp16/bf16; SDPA with the cached ALiBi bias; the plain reference).

    .venv/bin/python benchmarks/bench_lm.py [--device cpu|cuda] [--dim 192 --depth 4 --heads 6] [--out runs/bench_lm.json] [--record NAME]

The models are untrained (speed does not depend on the weights); generation is greedy (`Sampling(temperature=0)`) so
every run does the same work. Times are the best of `--repeats` (`benchmarks/common.py`'s `timed`).
"""
import argparse, json, tempfile
from pathlib import Path
import numpy as np, torch
from common import timed, add_record_arg, write_result
from willie_gen.attention import HAS_FLASH
from willie_gen.heads import Sampling
from willie_gen.lm import FilmLM, lm_preset, lm_loss
from willie_gen.lm_train import LMTrainConfig, LMTrainer
from willie_gen.generate import generate_tokens

LEVELS = {'64000': (8, 8, 8, 5, 5, 5), '1000': (8, 5, 5, 5)}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--dim', type=int, default=192); p.add_argument('--depth', type=int, default=4); p.add_argument('--heads', type=int, default=6)
    p.add_argument('--latent', type=int, default=16, help='latent frame size of the generation benchmarks (latent x latent tokens)')
    p.add_argument('--frames', type=int, default=5, help='latent frames to generate (also the context)')
    p.add_argument('--train_latent', type=int, default=8); p.add_argument('--train_frames', type=int, default=8)
    p.add_argument('--train_batch', type=int, default=4); p.add_argument('--train_steps', type=int, default=3, help='training steps per timing')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--outputs', default='full,factorized,full+copy,factorized+copy', help='output heads to measure (comma-separated)')
    p.add_argument('--codes', default='64000,1000', help='vocabularies to measure: 64000 (FSQ 8,8,8,5,5,5) and/or 1000 (8,5,5,5)')
    p.add_argument('--blocks', default='frame,masked', help='next-block modes to compare with token by token (comma-separated; empty: none)')
    p.add_argument('--out', default='runs/bench_lm.json'); add_record_arg(p)
    a = p.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    dev, dtype = torch.device(a.device), torch.bfloat16 if a.device == 'cuda' else torch.float32
    shape = dict(dim=a.dim, depth=a.depth, heads=a.heads, latent_hw=(a.latent, a.latent), context_frames=a.frames, dropout=0.0, spatial=True)
    res = dict(device=str(dev), dtype=str(dtype), torch=torch.__version__, threads=a.threads, model=shape, flash_attn=HAS_FLASH)
    n = a.frames * a.latent ** 2
    greedy = Sampling(temperature=0)
    heads = [(h.split('+')[0], h.endswith('+copy')) for h in a.outputs.split(',')]
    for levels in [LEVELS[c] for c in a.codes.split(',')]:
      for head, copy in heads:
        key, sh = f'{np.prod(levels)}_codes_{head}' + ('_copy' if copy else ''), dict(shape, levels=levels, head=head, copy=copy)
        # 1. KV cache
        m = FilmLM(lm_preset('cpu', **sh)).to(dev, dtype).eval()
        t_cache, with_cache = timed(lambda: generate_tokens(m, n, sampling=greedy, use_cache=True), a.repeats)
        t_full, without = timed(lambda: generate_tokens(m, n, sampling=greedy, use_cache=False))
        r = res[key] = dict(levels=levels, head=head, copy=copy, params=m.num_params())
        r['kv_cache'] = dict(tokens=n, with_cache_s=t_cache, without_cache_s=t_full, speedup=t_full / t_cache, same_tokens=bool((with_cache == without).all()))
        print(f"[{np.prod(levels):,} codes, {head} head{' + copy head' if copy else ''}, {m.num_params() / 1e6:.1f}M params] {n:,} tokens token by token: KV cache {t_cache:.2f}s, "
              f"recomputing {t_full:.1f}s -> {t_full / t_cache:.1f}x (identical greedy tokens: {r['kv_cache']['same_tokens']})", flush=True)
        # 2. next-frame and masked vs token by token (all with the cache)
        r['next_block'] = {'token': dict(steps=n, seconds=t_cache, tokens_per_s=n / t_cache)}
        for block in filter(None, a.blocks.split(',')):
            mb = FilmLM(lm_preset('cpu', **sh, block=block)).to(dev, dtype).eval()
            t, _ = timed(lambda: generate_tokens(mb, n, sampling=Sampling(temperature=0, steps=8), use_cache=True), a.repeats)
            steps = n // mb.cfg.block_size * (8 + 1 if block == 'masked' else 1)  # masked: 8 reveal steps + keeping the frame
            r['next_block'][block] = dict(steps=steps, seconds=t, tokens_per_s=n / t, speedup_vs_token=t_cache / t)
            print(f"   {block:6} ({mb.cfg.block_size} tokens per block): {steps} model calls, {t:.2f}s -> {t_cache / t:.1f}x faster than token by token", flush=True)

    # 3. training throughput: the trainer's step per head, then lm_loss + AdamW per attention backend (full head)
    train_shape = {**shape, 'latent_hw': (a.train_latent, a.train_latent), 'context_frames': a.train_frames}
    levels = LEVELS[a.codes.split(',')[0]]
    res['train_tokens_per_s'], res['train_levels'] = {}, levels
    with tempfile.TemporaryDirectory() as tmp:
        for head in a.outputs.split(','):
            mcfg = lm_preset('cpu', **train_shape, levels=levels, head=head.split('+')[0], copy=head.endswith('copy'))
            x = torch.randint(0, mcfg.codebook_size, (a.train_batch, mcfg.context))
            t = LMTrainer(mcfg, LMTrainConfig(batch_size=a.train_batch, device=dev.type, mixed_precision='bf16' if dev.type == 'cuda' else 'no',
                                              progress=False, threads=a.threads), [x[0]], out=Path(tmp)/head)
            xd = x.to(t.acc.device); t.train_step(xd)  # warm-up
            sec, _ = timed(lambda: [t.train_step(xd) for _ in range(a.train_steps)], a.repeats)
            res['train_tokens_per_s'][f'{head} trainer'] = a.train_steps * x.numel() / sec
        backends = ['sdpa', 'reference'] + (['flash'] if HAS_FLASH and dev.type == 'cuda' else [])
        mt = FilmLM(lm_preset('cpu', **train_shape, levels=levels, head='full', copy=False)).to(dev)
        opt = torch.optim.AdamW(mt.parameters(), 1e-4)
        x = torch.randint(0, mt.cfg.codebook_size, (a.train_batch, mt.cfg.context), device=dev)
        for be in backends:
            def step():
                with torch.autocast(dev.type, dtype=dtype, enabled=dev.type == 'cuda'):
                    loss = lm_loss(mt, x, backend=be)
                loss.backward(); opt.step(); opt.zero_grad()
            sec, _ = timed(lambda: [step() for _ in range(a.train_steps)], a.repeats, warmup=1)
            res['train_tokens_per_s'][f'full {be}'] = a.train_steps * x.numel() / sec
    base = res['train_tokens_per_s'].get('full reference')
    print(f'training tokens/s (batch {a.train_batch} x {mt.cfg.context}, {np.prod(levels):,} codes):',
          ', '.join(f"{k} {v:,.0f}" + (f" ({v / base:.2f}x full reference)" if base else '') for k, v in res['train_tokens_per_s'].items()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print('written to', a.out)
    if a.record: write_result(a.record, [dict(name=k, **v) for k, v in res.items() if isinstance(v, dict) and 'kv_cache' in v], device=dev,
                              train_tokens_per_s=res['train_tokens_per_s'], train_levels=res['train_levels'], model=res['model'], dtype=res['dtype'], threads=a.threads)

if __name__ == '__main__': main()
