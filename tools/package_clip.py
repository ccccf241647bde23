"""Make the packaged copy of the film's opening (`willie_gen/assets/`) from the original 854x480 encode: the picture
area (pillarbox cropped), gray, 256 px high, H.264 (yuv420p, so every player shows it), and the sound as mono AAC, with
a sidecar of its source, licence and sha256. Run once by a maintainer; the result is committed.

    .venv/bin/python tools/package_clip.py ../shared/data/steamboat_willie_opening.mp4
"""
import argparse, json
from pathlib import Path
from willie_gen.core import sha256_file, save_json
from willie_gen.video import read_video, probe_video, detect_crop, write_mp4
from willie_gen.audio import read_audio
from willie_gen.data import detect_cuts

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('source'); p.add_argument('--out', default='willie_gen/assets/steamboat_willie_opening.mp4')
    p.add_argument('--height', type=int, default=256); p.add_argument('--crf', type=int, default=26); p.add_argument('--audio_rate', type=int, default=24000)
    a = p.parse_args()
    info, box = probe_video(a.source), detect_crop(a.source)
    w = round((box[2] - box[0]) * a.height / (box[3] - box[1]) / 2) * 2
    frames = read_video(a.source, size=(a.height, w), channels=1, crop=box)
    sound, rate = read_audio(a.source, rate=a.audio_rate)
    out = write_mp4(frames, a.out, fps=info.fps, crf=a.crf, audio=sound, audio_rate=rate)
    cuts = detect_cuts(read_video(out, size=64, channels=1)); shots = list(zip(cuts, cuts[1:] + [len(frames)]))
    side = dict(title='Steamboat Willie (Walt Disney, Ub Iwerks, 1928): the first 28 seconds',
                licence='public domain in the United States since 2024-01-01 (published 1928, copyright term 95 years)',
                source='public GitHub repository distant-viewing/dvscripts, video/steamboat.mp4 (commit c591781b), first 28 s',
                source_sha256=sha256_file(a.source), source_size=f"{info.width}x{info.height}", picture_area=list(box),
                encode=f"gray, {w}x{a.height}, H.264 crf {a.crf} yuv420p, {info.fps:.3f} fps; sound mono AAC at {rate} Hz",
                frames=len(frames), shots=[list(s) for s in shots], bytes=out.stat().st_size, sha256=sha256_file(out),
                made_by='tools/package_clip.py')
    save_json(side, out.with_suffix('.json'))
    print(json.dumps(side, indent=1))

if __name__ == '__main__': main()
