"""Frame prediction on the held-out shot, by the protocol of stochastic video prediction: for each of `--prompts`
prompts from the held-out shot (2 latent frames = 5 real frames the LM never trained on), each model draws
`--samples` (N = 16) continuations of `--frames` latent frames (16 frames), and is scored

- per horizon (each generated latent frame): best-of-N and mean-of-N PSNR, SSIM and LPIPS against the real frames
  that follow (best-of-N: a model that samples plausible motion is credited for its best guess; the mean rewards
  hedging, as "repeat the last frame" does);
- as a distribution: FVD and KID (I3D features, `willie_gen.pretrained`) of all its generated 16-frame clips against
  the real 16-frame clips of the held-out shot (every window, stride 4), with a bootstrap spread and the clip counts;
- by motion: `motion_ratio` of generated over real frames (1 = the film's motion) and `token_change`, the fraction of
  tokens that change per latent frame, against the real tokens';
- for memorisation: each generated clip's distance (RMSE in [0, 1]) to its nearest training clip, beside the real
  held-out clips' own distance (a model that copies its training clips comes out far below the real clips).

In the same table: repeat the last prompt frame (no motion), the tokenizer's reconstruction of the real frames (the
ceiling through this tokenizer) and the real clips (FVD against themselves, split in two: the noise floor of FVD at
this clip count).

    .venv/bin/python benchmarks/bench_frame_prediction.py TOKENS RUN [RUN ...] --out runs/bench_frame_prediction.json

TOKENS is a token store (`TokenStore`; its sidecar names the tokenizer and the frame store); each RUN an LM training
run on it (`willie-gen lm train`, `bench_lm_film.py`). An LM that also makes sound (the pipeline's) is prompted with
the real sound tokens too: give `--audio_tokens` (the audio token store) and `--audio_tokenizer`. Needs the I3D and
LPIPS weights (`willie-gen weights fetch`). GIFs of real | reconstruction | repeat | each model's first sample go to
`--gifs`.
"""
import argparse, json, sys
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
from common import add_record_arg, write_result
from willie_gen.audio_tokenizer import load_audio_tokenizer
from willie_gen.core import to_video_tensor
from willie_gen.data import FrameStore
from willie_gen.generate import generate_video
from willie_gen.heads import Sampling
from willie_gen.lm import load_lm
from willie_gen.metrics import motion_ratio, psnr, ssim, token_change
from willie_gen.pretrained import fvd, i3d_features, load_i3d, lpips_distance, lpips_net
from willie_gen.tokenize import AudioTokenStore, TokenStore, decode_tokens
from willie_gen.tokenizer import load_tokenizer
from willie_gen.video import write_video

CLIP = 16  # frames per FVD clip (the standard)

def per_horizon(frames, real, lat_frames, lp) -> dict:
    "PSNR, SSIM and LPIPS of generated frames against the real ones, averaged over each generated latent frame: {metric: (H,)}."
    x, y = to_video_tensor(np.ascontiguousarray(frames))[None], to_video_tensor(np.ascontiguousarray(real))[None]
    per = dict(psnr=psnr(x, y)[0], ssim=ssim(x, y)[0], lpips=lpips_distance(x, y, lp)[0])
    return {k: np.array([v[a:b].mean().item() for a, b in lat_frames]) for k, v in per.items()}

def windows(frames, stride=4) -> np.ndarray:
    "Every `CLIP`-frame window of a (T, H, W, C) uint8 array, `stride` apart."
    return np.stack([frames[i:i + CLIP] for i in range(0, len(frames) - CLIP + 1, stride)])

def nearest_rmse(clips, bank, chunk=256) -> np.ndarray:
    "For each clip (N, T, H, W, C) uint8, the RMSE (in [0, 1]) to its nearest clip in `bank` (M, T, H, W, C)."
    a = torch.from_numpy(clips.reshape(len(clips), -1)).float() / 255
    best = torch.full((len(a),), float('inf'))
    for i in range(0, len(bank), chunk):
        b = torch.from_numpy(bank[i:i + chunk].reshape(min(chunk, len(bank) - i), -1)).float() / 255
        d = (a * a).sum(1, keepdim=True) + (b * b).sum(1) - 2 * a @ b.T
        best = torch.minimum(best, d.min(1).values)
    return (best.clamp_min(0) / a.shape[1]).sqrt().numpy()

def targets(rows:dict) -> dict:
    "The issue's targets for each model row, against repeat: best-of-N PSNR higher and LPIPS lower at every horizon after the first, motion ratio in [0.8, 1.25], FVD lower."
    rep, out = rows['repeat'], {}
    for k, r in rows.items():
        if 'best_of_n' not in r: continue
        b, p = r['best_of_n'], rep['per_horizon']
        out[k] = dict(psnr=all(x > y for x, y in zip(b['psnr'][1:], p['psnr'][1:])), lpips=all(x < y for x, y in zip(b['lpips'][1:], p['lpips'][1:])),
                      motion=0.8 <= r['motion_ratio'] <= 1.25, fvd=r['fvd']['fvd'] < rep['fvd']['fvd'])
        out[k]['all'] = all(out[k].values())
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('tokens'); p.add_argument('runs', nargs='+')
    p.add_argument('--val_shot', type=int, default=2); p.add_argument('--prompt', type=int, default=2, help='latent frames of real prompt')
    p.add_argument('--frames', type=int, default=4, help='latent frames to generate and score (4 = 16 frames: one FVD clip)')
    p.add_argument('--prompts', type=int, default=8, help='prompts from the held-out shot (evenly spread)')
    p.add_argument('--samples', type=int, default=16, help='samples per prompt (N of best-of-N)')
    p.add_argument('--top_k', type=int, default=50, help='0: no top-k filter')
    p.add_argument('--temperature', type=float, default=1.0)
    p.add_argument('--copy_temperature', type=float, default=None, help="models with a copy head: of its digit moves (default: --temperature)")
    p.add_argument('--steps', default='4,12', help='reveal steps of the masked runs, comma-separated')
    p.add_argument('--bootstrap', type=int, default=100, help='bootstrap resamples of FVD')
    p.add_argument('--tokenizer', default='', help="decode with this tokenizer instead of the store's (e.g. one whose decoder alone was trained on: same codes)")
    p.add_argument('--audio_tokens', default='', help='the audio token store, for LMs that make sound'); p.add_argument('--audio_tokenizer', default='')
    p.add_argument('--gifs', default='runs/frame_prediction'); p.add_argument('--out', default='runs/bench_frame_prediction.json'); add_record_arg(p)
    a = p.parse_args(argv)
    torch.manual_seed(0)
    ts = TokenStore(a.tokens); tok = load_tokenizer(a.tokenizer or ts.tokenizer).eval(); tc = tok.cfg
    if tuple(tc.levels) != ts.levels: raise SystemExit(f"the tokenizer {a.tokenizer} (FSQ levels {tuple(tc.levels)}) does not decode the store {a.tokens} (levels {ts.levels})")
    fs = FrameStore(ts.meta['store'])
    ats = AudioTokenStore(a.audio_tokens) if a.audio_tokens else None
    at = load_audio_tokenizer(a.audio_tokenizer).eval() if a.audio_tokenizer else None
    lp, i3d = lpips_net('alex'), load_i3d()
    n = a.prompt + a.frames
    s0, s1 = ts.shots[a.val_shot]
    starts = np.linspace(s0, s1 - n, a.prompts).round().astype(int) if s1 - s0 >= n else []
    if not len(starts): raise SystemExit(f"the held-out shot {a.val_shot} has {s1 - s0} latent frames, fewer than prompt + generated ({n})")
    gen_slice = slice(tc.video_frames(a.prompt), tc.video_frames(n))  # the frames of the generated latents
    if gen_slice.stop - gen_slice.start < CLIP: raise SystemExit(f"--frames {a.frames} makes {gen_slice.stop - gen_slice.start} frames, fewer than an FVD clip ({CLIP})")
    lat_frames = [(tc.first_frame(i) - gen_slice.start, tc.last_frame(i) + 1 - gen_slice.start) for i in range(a.prompt, n)]  # each generated latent's frames
    # the reference sets: real held-out clips (every window) and training clips (memorisation)
    fa, fb = tc.last_frame(s0), tc.last_frame(s1 - 1) + 1
    real_clips = windows(np.asarray(fs.frames[fa:fb]))
    train_clips = np.concatenate([windows(np.asarray(fs.frames[tc.last_frame(x):tc.last_frame(y - 1) + 1]), 8) for i, (x, y) in enumerate(ts.shots)
                                  if i != a.val_shot and tc.last_frame(y - 1) + 1 - tc.last_frame(x) >= CLIP])
    real_feats = i3d_features(real_clips, i3d, progress=False)
    res = dict(tokens=a.tokens, val_shot=a.val_shot, prompts=[int(s) for s in starts], samples=a.samples,
               sampling=dict(temperature=a.temperature, top_k=a.top_k or None, copy_temperature=a.copy_temperature),
               real_clips=len(real_clips), train_clips=len(train_clips), rows={})
    mem_real = nearest_rmse(real_clips, train_clips)
    res['rows']['real clips'] = dict(fvd=fvd(real_feats[::2], real_feats[1::2], a.bootstrap, progress=False), memorisation_rmse=float(mem_real.mean()),
                                     motion_ratio=1.0, token_change=float(np.mean([token_change(np.asarray(ts.tokens[s:s + n]))[a.prompt - 1:].mean() for s in starts])))
    print(f"held-out shot {a.val_shot}: {len(starts)} prompts, {a.samples} samples each; {len(real_clips)} real held-out clips, {len(train_clips)} training clips")
    gifs, ref = {}, {}
    for s in starts:
        f0 = tc.last_frame(s)  # decoding from latent `s` begins at the last frame it covers
        real = np.asarray(fs.frames[f0:f0 + tc.video_frames(n)])
        prompt = np.asarray(ts.tokens[s:s + a.prompt]).astype(np.int64)
        ref.setdefault('real', []).append(real[gen_slice])
        ref.setdefault('reconstruction', []).append(decode_tokens(tok, np.asarray(ts.tokens[s:s + n]), progress=False)[gen_slice])
        ref.setdefault('repeat', []).append(decode_tokens(tok, np.concatenate([prompt, np.repeat(prompt[-1:], a.frames, 0)]), progress=False)[gen_slice])
    for name in ('reconstruction', 'repeat'):
        clips = np.stack(ref[name])[:, :CLIP]
        h = [per_horizon(g, r, lat_frames, lp) for g, r in zip(ref[name], ref['real'])]
        res['rows'][name] = dict(per_horizon={k: np.mean([x[k] for x in h], 0).round(4).tolist() for k in h[0]},
                                 fvd=fvd(real_feats, i3d_features(clips, i3d, progress=False), a.bootstrap, progress=False),
                                 motion_ratio=motion_ratio(np.stack(ref[name]), np.stack(ref['real'])), memorisation_rmse=float(nearest_rmse(clips, train_clips).mean()))
        gifs[name] = ref[name][0]
    gifs['real'] = ref['real'][0]
    for run in a.runs:
        lm = load_lm(run).eval(); name = Path(run).name
        if (lm.cfg.levels, lm.cfg.latent_hw) != (ts.levels, ts.latent_size): raise SystemExit(f"{run} (levels {lm.cfg.levels}, latent frames {lm.cfg.latent_hw}) does not fit the store")
        if lm.cfg.audio_tokens and (ats is None or at is None): raise SystemExit(f"{run} makes sound: give --audio_tokens and --audio_tokenizer")
        for steps in (tuple(int(x) for x in a.steps.split(',')) if lm.cfg.block == 'masked' else (1,)):
            key = name + (f' steps={steps}' if lm.cfg.block == 'masked' else '')
            sampling = Sampling(a.temperature, a.top_k or None, a.copy_temperature, steps)
            best, mean, clips, toks_all = [], [], [], []
            for j, s in enumerate(starts):
                prompt = np.asarray(ts.tokens[s:s + a.prompt]).astype(np.int64)
                ap = None if not lm.cfg.audio_tokens else np.asarray(ats.tokens[s:s + a.prompt])
                h = []
                for k in range(a.samples):
                    toks, frames, _ = generate_video(lm, tok, a.frames, prompt, sampling, seed=1000 * j + k, audio_tokenizer=at, audio_prompt=ap)
                    h.append(per_horizon(frames[gen_slice], ref['real'][j], lat_frames, lp)); clips.append(frames[gen_slice]); toks_all.append(toks.cpu().numpy())
                    if j == 0 and k == 0: gifs[key] = frames[gen_slice]
                best.append({m: (np.min if m == 'lpips' else np.max)([x[m] for x in h], 0) for m in h[0]})
                mean.append({m: np.mean([x[m] for x in h], 0) for m in h[0]})
            clips = np.stack(clips)
            res['rows'][key] = dict(best_of_n={m: np.mean([b[m] for b in best], 0).round(4).tolist() for m in best[0]},
                                    mean_of_n={m: np.mean([b[m] for b in mean], 0).round(4).tolist() for m in mean[0]},
                                    fvd=fvd(real_feats, i3d_features(clips[:, :CLIP], i3d, progress=False), a.bootstrap, progress=False),
                                    motion_ratio=motion_ratio(clips, np.repeat(np.stack(ref['real']), a.samples, 0)),
                                    token_change=float(np.mean([token_change(t)[a.prompt - 1:].mean() for t in toks_all])),
                                    memorisation_rmse=float(nearest_rmse(clips[:, :CLIP], train_clips).mean()))
            r = res['rows'][key]
            print(f"  {key:34} best-of-{a.samples} PSNR {r['best_of_n']['psnr']} LPIPS {r['best_of_n']['lpips']}  FVD {r['fvd']['fvd']:.1f}  "
                  f"motion {r['motion_ratio']:.2f}  tokens changed {r['token_change']:.3f}  nearest training RMSE {r['memorisation_rmse']:.4f}", flush=True)
    rr = res['rows']
    for name in ('reconstruction', 'repeat'):
        print(f"  {name:34} PSNR {rr[name]['per_horizon']['psnr']} LPIPS {rr[name]['per_horizon']['lpips']}  FVD {rr[name]['fvd']['fvd']:.1f}  motion {rr[name]['motion_ratio']:.2f}")
    print(f"  {'real clips':34} FVD half against half {rr['real clips']['fvd']['fvd']:.1f}  nearest training RMSE {rr['real clips']['memorisation_rmse']:.4f}")
    res['targets'] = targets(rr)
    for k, t in res['targets'].items(): print(f"  targets {k:26} " + '  '.join(f"{m} {'met' if ok else 'MISSED'}" for m, ok in t.items()))
    out = Path(a.gifs); out.mkdir(parents=True, exist_ok=True)
    for name, v in gifs.items(): write_video(v, out/f"{name.replace(' ', '_').replace('=', '')}.gif", fps=fs.fps)
    write_video(np.concatenate([gifs[k] for k in gifs], 2), out/'side_by_side.gif', fps=fs.fps)
    res['side_by_side'] = dict(file=str(out/'side_by_side.gif'), columns=list(gifs))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out, 'and', out)
    if a.record: write_result(a.record, res, settings={k: v for k, v in vars(a).items() if k != 'record'})
    return res

if __name__ == '__main__': main()
