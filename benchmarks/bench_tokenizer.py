"""Tokenizer benchmark: willie_gen's `cpu` preset against lucidrains' magvit2-pytorch and the no-learning floor, on the
same clips (the shared Steamboat Willie footage at 64x64 gray, 17-frame clips, 4x8x8 compression, shot 2 = frames
449-625 held out), for the same wall-clock training budget; and encode/decode/training-step speed of every preset
beside the peer's, at the same input size.

Run it in the benchmark venv, which has magvit2-pytorch as well as willie_gen (see benchmarks/peer_magvit2.py):

    .bench-venv/bin/python benchmarks/bench_tokenizer.py --what train --minutes 20 --out runs/bench_tokenizer.json
    .bench-venv/bin/python benchmarks/bench_tokenizer.py --what speed --out runs/bench_tokenizer.json

`--what train` trains ours first, then the peer, one after the other, each with the whole machine (`--threads`). Our
budget counts validation time too (the trainer's clock); the peer's clock stops while it validates: if anything, that
favours the peer. Results are merged into the JSON file, and printed.
"""
import argparse, json, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
import peer_magvit2 as peer
from willie_gen.core import shared_clip, opening_clip
from willie_gen.tokenizer import VideoTokenizer, preset
from willie_gen.tokenizer_train import TokenizerTrainer, TokenizerTrainConfig

def train_ours(train_ds, val_ds, minutes, out, batch_size=2, lr=1e-3, seed=0, zoom=1.0, jitter=0.0, decay='none', levels=None,
               size=64, model=None, resume=False, **losses):
    "A tokenizer preset (`cpu` by default) trained for `minutes` (L1 reconstruction; `losses`: gradient loss, GAN, feature matching, image mixing ...)."
    cfg = TokenizerTrainConfig(**{**dict(steps=10**9, minutes=minutes, batch_size=batch_size, lr=lr, betas=(0.9, 0.99), warmup=50,
                      perceptual_weight=0.0, gan_weight=0.0, ema=0.999, val_every=250, sample_every=0, ckpt_every=500,
                      log_every=25, seed=seed, zoom=zoom, jitter=jitter, decay=decay, progress=False), **losses})
    mcfg = model or preset('cpu', image_size=size, **({'levels': levels} if levels else {}))
    t = TokenizerTrainer(mcfg, cfg, train_ds, val_ds, out)
    hist = t.fit(resume=resume)
    curve = [dict(step=r['step'], minutes=r['minutes'], val_psnr=r['val_psnr'], val_ssim=r['val_ssim'], val_sharpness=r.get('val_sharpness'),
                  ema_val_psnr=r.get('ema_val_psnr'), ema_val_ssim=r.get('ema_val_ssim'), ema_val_sharpness=r.get('ema_val_sharpness'),
                  code_used=r['val_code_used'], perplexity=r['val_perplexity']) for r in hist if 'val_psnr' in r]
    raw = peer.evaluate(lambda x: t.raw_model.eval()(x)[0], val_ds)
    ema = peer.evaluate(lambda x: t.ema.model(x)[0], val_ds)
    train_sub = torch.utils.data.Subset(train_ds, list(range(0, len(train_ds), max(1, len(train_ds) // len(val_ds)))))  # as many training clips as validation clips
    ema_train = peer.evaluate(lambda x: t.ema.model(x)[0], train_sub)
    t.write_samples(n=3)
    return dict(params=t.raw_model.num_params(), steps=t.step, minutes=t.elapsed, batch_size=batch_size, lr=lr, zoom=zoom, jitter=jitter, decay=decay, levels=levels,
                losses=losses, final_raw=raw, final_ema=ema, train_ema=ema_train, gap_db=ema_train['psnr'] - ema['psnr'], curve=curve, samples=str(out/'samples'))

def speeds(x, repeats):
    res = {}
    for name in ('tiny', 'cpu', 'base'):
        m = VideoTokenizer(preset(name)); opt = torch.optim.Adam(m.parameters(), 1e-4)
        def step(xb):
            r, _ = m(xb); loss = (r - xb).abs().mean(); opt.zero_grad(); loss.backward(); opt.step()
        m.eval()
        bs = (1,) if name == 'base' else (1, 4)  # base is a GPU model: one batch size is enough on a CPU
        res[name] = dict(params=m.num_params(), **peer.speed(lambda xb: m.encode(xb), lambda z: m.decode(z), x, step, batch_sizes=bs, repeats=repeats))
        print(name, json.dumps(res[name]))
    pm = peer.peer_model(); popt = torch.optim.Adam(pm.parameters(), 1e-4)
    res['magvit2_pytorch'] = dict(params=peer.peer_params(pm), **peer.speed(lambda xb: peer.peer_encode(pm, xb), lambda z: peer.peer_decode(pm, z), x,
                                                                        lambda xb: peer.peer_train_step(pm, popt, xb), repeats=repeats))
    print('magvit2_pytorch', json.dumps(res['magvit2_pytorch']))
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--what', default='all', choices=['train', 'speed', 'all'])
    p.add_argument('--minutes', type=float, default=20)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--skip-peer', action='store_true', help='train only ours (and the floor)')
    p.add_argument('--zoom', type=float, default=1.0, help='our random zoom augmentation (1 = off)')
    p.add_argument('--jitter', type=float, default=0.0, help='our brightness/contrast augmentation (0 = off)')
    p.add_argument('--decay', default='none', choices=['none', 'cosine'], help='our learning-rate decay over the budget')
    p.add_argument('--lr', type=float, default=1e-3, help='our peak learning rate')
    p.add_argument('--levels', default='', help='FSQ levels of ours, comma-separated (default: the preset\'s 8,8,8,5,5,5)')
    p.add_argument('--preset', default='cpu', help='our tokenizer preset')
    p.add_argument('--size', type=int, default=64, help='frame size (64, or 128 for the mission size)')
    p.add_argument('--dilations', default='', help='temporal dilations of our residual blocks, comma-separated (e.g. 1,2)')
    p.add_argument('--gradient_weight', type=float, default=0.0, help='our gradient (edge) loss weight')
    p.add_argument('--image_ratio', type=float, default=0.0, help='fraction of our steps on single frames')
    p.add_argument('--gan_weight', type=float, default=0.0, help='our adversarial weight (with --disc_start)')
    p.add_argument('--disc_start', type=int, default=0, help='step at which our discriminator switches on')
    p.add_argument('--feature_matching_weight', type=float, default=0.0, help='our discriminator feature-matching weight')
    p.add_argument('--temporal_weight', type=float, default=0.0, help='our temporal change penalty on the latent, in FSQ level steps (0 = off)')
    p.add_argument('--train_part', default='all', choices=['all', 'decoder'], help='train all of ours, or only its decoder (the codes stay valid)')
    p.add_argument('--resume', action='store_true', help='continue our run of the same tag (e.g. the GAN phase after a reconstruction run, copied)')
    p.add_argument('--from_run', default='', help='start the tagged run from the newest checkpoint of this run folder (copied)')
    p.add_argument('--tag', default='ours', help='name of our run (its folder and JSON section)')
    p.add_argument('--out', default='runs/bench_tokenizer.json')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    video = shared_clip() or opening_clip()  # the original encode where it is beside the repo, else the packaged one
    train_ds, val_ds, store = peer.make_clips(video, out=Path(a.out).parent/f'store_{a.size}g', size=a.size)
    print(f'{len(train_ds)} training clips, {len(val_ds)} validation clips (shot 2), torch {torch.__version__}, {a.threads} threads')
    res = {}
    if a.what in ('train', 'all'):
        res['floor'] = peer.evaluate(peer.floor_reconstruct, val_ds); print('floor', res['floor'])
        run = Path(a.out).parent/f'bench_tok_{a.tag}'
        if a.from_run and not run.exists():  # the GAN phase: a copy of a finished reconstruction run, trained on
            import shutil; shutil.copytree(a.from_run, run)
        mcfg = preset(a.preset, image_size=a.size, **({'levels': tuple(int(v) for v in a.levels.split(','))} if a.levels else {}),
                      **({'dilations': tuple(int(v) for v in a.dilations.split(','))} if a.dilations else {}))
        losses = {k: getattr(a, k) for k in ('gradient_weight', 'image_ratio', 'gan_weight', 'disc_start', 'feature_matching_weight', 'temporal_weight') if getattr(a, k)}
        if a.train_part != 'all': losses['train_part'] = a.train_part
        t0 = time.time(); res['ours'] = train_ours(train_ds, val_ds, a.minutes, run, zoom=a.zoom, jitter=a.jitter, decay=a.decay, lr=a.lr,
                                                   model=mcfg, resume=a.resume or bool(a.from_run), **losses)
        print('ours', json.dumps({k: v for k, v in res['ours'].items() if k != 'curve'}), f'({(time.time() - t0) / 60:.1f} min)')
        for r in res['ours']['curve']: print('  ', r)
        if not a.skip_peer:
            pm = peer.peer_model()
            res['peer'] = dict(params=peer.peer_params(pm), **peer.train_peer(pm, train_ds, a.minutes, val_ds, eval_every=5))
            print('peer', json.dumps({k: v for k, v in res['peer'].items() if k != 'history'}))
        peer._merge_json(a.out, {'train' if a.tag == 'ours' else f'train_{a.tag}': res})
    if a.what in ('speed', 'all'):
        x = torch.stack([val_ds[i] for i in range(4)])
        res['speed'] = speeds(x, a.repeats); peer._merge_json(a.out, dict(speed=res['speed']))
    print('\nsummary (validation on the held-out shot):')
    if 'ours' in res:
        rows = [('floor: avg-pool 4x8x8 + upsample', res['floor'])] + [(f"ours ({res['ours']['params']/1e6:.1f}M, {res['ours']['steps']} steps, EMA)", res['ours']['final_ema']),
                (f"ours (raw weights)", res['ours']['final_raw']), ("ours (EMA) on training clips", res['ours']['train_ema'])]
        if 'peer' in res: rows.append((f"magvit2-pytorch ({res['peer']['params']/1e6:.1f}M, {res['peer']['steps']} steps)", {k[4:]: v for k, v in res['peer']['history'][-1].items() if k.startswith('val_')}))
        for name, r in rows: print(f"  {name:<45} PSNR {r['psnr']:6.2f} dB   SSIM {r['ssim']:.3f}" + (f"   sharpness {r['sharpness']:.3f}   frame 0 {r['psnr_first']:.2f} dB" if 'sharpness' in r else ''))
    if 'speed' in res:
        print('\nspeed at 17x64x64 gray (ratios: ours / magvit2-pytorch at the same batch; step: its time / ours):')
        for bk in ('batch1', 'batch4'):
            base = res['speed']['magvit2_pytorch'][bk]
            for name, r in res['speed'].items():
                if bk not in r: continue
                b = r[bk]
                print(f"  {bk} {name:<16} {r['params']/1e6:6.2f}M  encode {b['encode_fps']:7.1f} f/s ({b['encode_fps']/base['encode_fps']:.2f}x)  "
                      f"decode {b['decode_fps']:7.1f} f/s ({b['decode_fps']/base['decode_fps']:.2f}x)  step {b['train_step_s']:.2f}s "
                      f"({base['train_step_s'] / b['train_step_s']:.2f}x)")

if __name__ == '__main__': main()
