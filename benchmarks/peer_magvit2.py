"""Peer baselines for the tokenizer benchmark: lucidrains' magvit2-pytorch and the no-learning floor, on the same clips.

Both at 64x64 gray, 17-frame clips, 4x8x8 compression (17x64x64 -> 5x8x8 latents), the validation set being the held-out
shot 2 (frames 449-625 of the shared Steamboat Willie footage):

* floor: average-pool 4x8x8 (frame 0 alone, then groups of 4 frames, as a causal tokenizer groups them), then
  upsample back, bilinear in space and linear in time between the latent frames' centres. No learning, no quantization.
* peer: magvit2-pytorch's `VideoTokenizer` (LFQ, its defaults), in the layer layout of its README's 4x8x8 example,
  scaled to ~7.8M parameters (our `cpu` preset has 7.4M), trained for a fixed wall-clock budget with Adam on the
  package's own loss (MSE reconstruction + LFQ entropy/commitment), GAN and VGG perceptual loss off.

magvit2-pytorch is not a dependency of willie_gen: run this with the benchmark venv, which has it, torch and willie_gen
(editable) installed:

    python3 -m venv .bench-venv
    .bench-venv/bin/pip install torch==2.15.0 torchvision==0.29.2 magvit2-pytorch && .bench-venv/bin/pip install -e .
    .bench-venv/bin/python benchmarks/peer_magvit2.py --what floor --out runs/peer.json
    .bench-venv/bin/python benchmarks/peer_magvit2.py --what peer-speed --out runs/peer.json
    .bench-venv/bin/python benchmarks/peer_magvit2.py --what peer-train --minutes 20 --out runs/peer.json

`--what all` runs all three; `--what floor` needs no magvit2-pytorch. The training budget counts training time only (data, forward, backward, step): the clock
stops while validating. Machines are shared and noisy: compare figures measured in one run, side by side.
"""
from __future__ import annotations
import argparse, json, math, platform, statistics, tempfile, time, warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
import torch
import torch.nn.functional as F
from willie_gen.core import opening_clip, shared_clip
from common import timed  # the benchmarks' one timing helper (best of `repeats`)
from willie_gen.data import ClipDataset, prepare_video, shot_split
from willie_gen.metrics import pooled_floor, psnr, sharpness, ssim

SIZE, CLIP_LEN, T_FACTOR, S_FACTOR = 64, 17, 4, 8
VAL_SHOTS = [2]  # frames 449-625 of the shared footage

# ---------------------------------------------------------------- data

def make_clips(video, # a video file, e.g. shared/data/steamboat_willie_opening.mp4
               out=None, # folder for the frame store (default: a fixed folder in the system temp dir, reused)
               size:int=SIZE, clip_len:int=CLIP_LEN,
               val=VAL_SHOTS, # shot indices held out for validation
               train_stride:int=1, # every start frame inside the training shots
               val_stride:int=CLIP_LEN, # non-overlapping validation clips
              ) -> tuple: # (train ClipDataset, val ClipDataset, FrameStore)
    "Training and validation clips (float (1, T, H, W) in [-1, 1]) from whole shots of `video`."
    out = Path(out) if out is not None else Path(tempfile.gettempdir())/f'willie_gen_bench_store_{size}g'
    store = prepare_video(video, out, size=size, channels=1, progress=False)
    train_shots, val_shots = shot_split(store.shots, val=val)
    train = ClipDataset(store, clip_len=clip_len, shots=train_shots, stride=train_stride)
    valid = ClipDataset(store, clip_len=clip_len, shots=val_shots, stride=val_stride)
    return train, valid, store

# ---------------------------------------------------------------- the no-learning floor

def floor_reconstruct(x) -> torch.Tensor:
    "The floor: `willie_gen.metrics.pooled_floor` at 4x8x8 (causal grouping: 17 frames -> 5 latent frames -> 17)."
    return pooled_floor(x, T_FACTOR, S_FACTOR)

# ---------------------------------------------------------------- the peer: magvit2-pytorch

PEER_LAYERS = ('residual', 'compress_space', ('consecutive_residual', 2), 'compress_space', ('consecutive_residual', 2),
               'linear_attend_space', 'compress_space', ('consecutive_residual', 2), 'attend_space',
               'compress_time', ('consecutive_residual', 2), 'compress_time', ('consecutive_residual', 2), 'attend_time')

def peer_config(init_dim:int=16, max_dim:int=128, codebook_bits:int=16) -> dict:
    "Constructor arguments of the peer: the README's 4x8x8 layer layout, narrower, LFQ with its default loss weights."
    return dict(image_size=SIZE, channels=1, init_dim=init_dim, max_dim=max_dim, layers=PEER_LAYERS,
                codebook_size=2 ** codebook_bits,  # LFQ (use_fsq=False is the package default)
                use_gan=False, perceptual_loss_weight=0.)  # 0 turns VGG off: no weights download, none needed

def peer_model(**kwargs):
    "magvit2-pytorch's VideoTokenizer in the benchmark configuration (`peer_config(**kwargs)`)."
    from magvit2_pytorch import VideoTokenizer
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        m = VideoTokenizer(**peer_config(**kwargs))
    del m.discr  # built even with use_gan=False (40M parameters) but never used then; its own copy_for_eval drops it too
    return m

def peer_params(model) -> int:
    "Trainable parameters of the tokenizer (its `parameters()` lists encoder, decoder and quantizer only)."
    return sum(p.numel() for p in model.parameters())

def peer_reconstruct(model, x) -> torch.Tensor:
    "Reconstruction of `x` (B, 1, 17, 64, 64) through encoder, LFQ and decoder, in eval mode."
    was = model.training; model.eval()
    with torch.no_grad(): r = model(x)
    model.train(was)
    return r

def peer_encode(model, x) -> torch.Tensor: # int codes (B, 5, 8, 8)
    "Video -> LFQ code indices, in eval mode (no entropy loss computed)."
    model.eval()
    with torch.no_grad(): return model(x, return_codes=True)

def peer_decode(model, codes) -> torch.Tensor:
    "Code indices -> video, in eval mode."
    model.eval()
    with torch.no_grad(): return model.decode_from_code_indices(codes)

def peer_train_step(model, opt, x) -> float:
    "One step on the package's own loss (GAN and perceptual off: MSE + LFQ entropy and commitment)."
    loss, _ = model(x, return_loss=True)
    opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return loss.item()

# ---------------------------------------------------------------- evaluation

@torch.no_grad()
def evaluate(fn, # maps a batch (B, 1, T, H, W) in [-1, 1] to its reconstruction
             val_ds, batch_size:int=4) -> dict:
    "Mean PSNR, SSIM (over every frame of every clip; reconstructions clamped to [-1, 1], data range 2), the sharpness ratio (per clip), and frame 0's PSNR."
    ps, p0, ss, sh = [], [], [], []
    for i in range(0, len(val_ds), batch_size):
        x = torch.stack([val_ds[j] for j in range(i, min(i + batch_size, len(val_ds)))])
        with torch.no_grad(): r = fn(x).float().clamp(-1, 1)
        p = psnr(r, x, data_range=2.0)
        ps.append(p.flatten()); p0.append(p[:, 0]); ss.append(ssim(r, x, data_range=2.0).flatten()); sh.append(sharpness(r, x))
    return dict(psnr=torch.cat(ps).mean().item(), ssim=torch.cat(ss).mean().item(), sharpness=torch.cat(sh).mean().item(),
                psnr_first=torch.cat(p0).mean().item(), clips=len(val_ds))

# ---------------------------------------------------------------- training

def train_peer(model, train_ds, minutes:float, val_ds=None, lr:float=1e-4, batch_size:int=4,
               eval_every:float=2.0, # minutes of training between validations
               seed:int=0, log=print) -> dict:
    "Adam on the package's loss for `minutes` of training time (validation pauses the clock); validates at step 0, every `eval_every` minutes and at the end."
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    dl = torch.utils.data.DataLoader(train_ds, batch_size=batch_size, shuffle=True, drop_last=True, num_workers=0,
                                     generator=torch.Generator().manual_seed(seed))
    history, losses, step, trained, next_eval = [], [], 0, 0.0, 0.0
    def validate():
        t = time.perf_counter()
        row = dict(step=step, minutes=round(trained / 60, 3), train_loss=(statistics.mean(losses) if losses else None))
        if val_ds is not None: row.update({f'val_{k}': v for k, v in evaluate(lambda x: peer_reconstruct(model, x), val_ds, batch_size).items() if k != 'clips'})
        row['eval_s'] = round(time.perf_counter() - t, 1); history.append(row); losses.clear()
        log(' '.join(f'{k}={v:.4g}' if isinstance(v, float) else f'{k}={v}' for k, v in row.items()))
    model.train()
    while True:
        for x in dl:
            if trained >= next_eval:
                validate(); next_eval += eval_every * 60
            if trained >= minutes * 60: break
            t = time.perf_counter()
            losses.append(peer_train_step(model, opt, x))
            if not math.isfinite(losses[-1]): raise FloatingPointError(f'loss {losses[-1]} at step {step}')
            trained += time.perf_counter() - t; step += 1
        else: continue
        break
    if history[-1]['step'] != step: validate()
    return dict(steps=step, train_minutes=trained / 60, lr=lr, batch_size=batch_size, clips_seen=step * batch_size,
                s_per_step=trained / max(step, 1), history=history)

# ---------------------------------------------------------------- speed

def speed(encode_fn, # batch (B, 1, 17, 64, 64) -> latents or codes
          decode_fn, # encode_fn's output -> reconstruction
          x, # a batch of at least max(batch_sizes) clips
          train_step_fn=None, # batch -> None: forward + backward + optimizer step
          batch_sizes=(1, 4), repeats:int=5) -> dict:
    "Encode and decode frames/s and training step seconds (best of `repeats` after two warm-up calls) at each batch size."
    res = {}
    for b in batch_sizes:
        xb = x[:b]; frames = b * xb.shape[2]
        z = encode_fn(xb)
        r = dict(encode_fps=frames / timed(lambda: encode_fn(xb), repeats, warmup=2)[0],
                 decode_fps=frames / timed(lambda: decode_fn(z), repeats, warmup=2)[0])
        if train_step_fn is not None: r['train_step_s'] = timed(lambda: train_step_fn(xb), repeats, warmup=2)[0]  # warm-up: first calls at a new shape are slow (allocator, oneDNN, Adam state)
        res[f'batch{b}'] = r
    return res

# ---------------------------------------------------------------- script

def _version(package:str) -> str|None:
    try: return version(package)
    except PackageNotFoundError: return None

def _merge_json(path, update:dict):
    if path is None: return
    path = Path(path); old = json.loads(path.read_text()) if path.exists() else {}
    old.update(update); path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(old, indent=1))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--video', default=None, help="input video (default: shared/data/steamboat_willie_opening.mp4 found upwards, else the package's copy of the opening)")
    p.add_argument('--store', default=None, help='frame store folder (default: in the system temp dir, reused)')
    p.add_argument('--what', default='all', choices=['floor', 'peer-train', 'peer-speed', 'all'])
    p.add_argument('--minutes', type=float, default=20, help='training budget (training time, validation excluded)')
    p.add_argument('--eval-every', type=float, default=2, help='minutes of training between validations')
    p.add_argument('--lr', type=float, default=1e-4)
    p.add_argument('--batch-size', type=int, default=4)
    p.add_argument('--init-dim', type=int, default=16)
    p.add_argument('--max-dim', type=int, default=128)
    p.add_argument('--codebook-bits', type=int, default=16, help='LFQ codebook of 2**bits codes (ours: 64,000 FSQ codes)')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5, help='timed repeats per speed figure')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default=None, help='JSON results file (updated in place: sections from other runs are kept)')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
    video = Path(a.video) if a.video else (shared_clip() or opening_clip())  # as bench_tokenizer.py
    train_ds, val_ds, store = make_clips(video, a.store)
    if a.what != 'floor' and _version('magvit2-pytorch') is None:
        p.error("magvit2-pytorch is not installed: run the peer in the benchmark venv (see above), or only --what floor")
    env = dict(torch=torch.__version__, magvit2_pytorch=_version('magvit2-pytorch'), vector_quantize_pytorch=_version('vector-quantize-pytorch'),
               threads=a.threads, machine=platform.machine(), processor=platform.processor() or None, video=str(video),
               shots=store.shots, val_shots=VAL_SHOTS, train_clips=len(train_ds), val_clips=len(val_ds),
               clip=[1, CLIP_LEN, SIZE, SIZE], latent=[1 + (CLIP_LEN - 1) // T_FACTOR, SIZE // S_FACTOR, SIZE // S_FACTOR])
    print(f"{video.name}: shots {store.shots}, validation shot(s) {VAL_SHOTS}: {len(train_ds)} training clips, {len(val_ds)} validation clips of {CLIP_LEN}x{SIZE}x{SIZE} gray")
    _merge_json(a.out, dict(env=env))
    x = torch.stack([val_ds[i] for i in range(max(4, a.batch_size))])

    if a.what in ('floor', 'all'):
        res = dict(floor=evaluate(floor_reconstruct, val_ds))
        print(f"floor: val PSNR {res['floor']['psnr']:.2f} dB, SSIM {res['floor']['ssim']:.4f} ({res['floor']['clips']} clips)")
        _merge_json(a.out, res)

    cfg = dict(init_dim=a.init_dim, max_dim=a.max_dim, codebook_bits=a.codebook_bits)
    peer_info = dict(config={**{k: v for k, v in peer_config(**cfg).items() if k != 'layers'}, 'layers': [list(l) if isinstance(l, tuple) else l for l in PEER_LAYERS]})
    if a.what in ('peer-speed', 'all'):
        model = peer_model(**cfg); peer_info['params'] = peer_params(model)
        opt = torch.optim.Adam(model.parameters(), lr=a.lr)
        def step(xb): model.train(); peer_train_step(model, opt, xb)
        print(f"peer: magvit2-pytorch {env['magvit2_pytorch']}, {peer_info['params'] / 1e6:.2f}M parameters, LFQ {2 ** a.codebook_bits} codes")
        sp = speed(lambda xb: peer_encode(model, xb), lambda z: peer_decode(model, z), x, step, repeats=a.repeats)
        for b, r in sp.items(): print(f"peer speed {b}: encode {r['encode_fps']:.1f} frames/s, decode {r['decode_fps']:.1f} frames/s, train step {r['train_step_s']:.2f} s")
        _merge_json(a.out, dict(peer=peer_info, peer_speed=sp))
    if a.what in ('peer-train', 'all'):
        model = peer_model(**cfg); peer_info['params'] = peer_params(model)
        print(f"peer: {peer_info['params'] / 1e6:.2f}M parameters; training {a.minutes} min, batch {a.batch_size}, Adam lr {a.lr}")
        tr = train_peer(model, train_ds, a.minutes, val_ds, lr=a.lr, batch_size=a.batch_size, eval_every=a.eval_every, seed=a.seed)
        last = tr['history'][-1]
        print(f"peer after {tr['train_minutes']:.2f} min ({tr['steps']} steps, {tr['s_per_step']:.2f} s/step): val PSNR {last['val_psnr']:.2f} dB, SSIM {last['val_ssim']:.4f}")
        _merge_json(a.out, dict(peer=peer_info, peer_train=tr))

if __name__ == '__main__': main()
