"""The pictures beside the frame-prediction table: the GIFs `bench_frame_prediction.py` wrote, chosen columns side by side
with their labels (a GIF, `willie_gen.widgets.side_by_side`) and as a contact sheet (a PNG, `contact_sheet`: the last
prompt frame, then generated frames).

    .venv/bin/python benchmarks/show_frame_prediction.py runs/frame_prediction real reconstruction repeat \\
        token_spatial_60_greedy frame_spatial_60_greedy masked_spatial_60_steps8_greedy masked_spatial_60_steps8_sampled \\
        --png nbs/images/frame_prediction.png --gif nbs/images/frame_prediction.gif

`--frames` picks the sheet's frames (default 4,8,12,16,20: with the default 2 latent frames of prompt, frame 4 is the
last prompt frame); each must lie inside the shortest GIF.
"""
import argparse
from pathlib import Path
from willie_gen.video import read_video
from willie_gen.widgets import contact_sheet, side_by_side

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('folder'); p.add_argument('names', nargs='+', help='GIF names in FOLDER, without .gif')
    p.add_argument('--frames', default='4,8,12,16,20', help='frames on the sheet (4 = the last prompt frame)')
    p.add_argument('--png', required=True); p.add_argument('--gif', required=True); p.add_argument('--fps', type=float, default=8)
    a = p.parse_args()
    videos = {n: read_video(Path(a.folder)/f'{n}.gif', channels=1) for n in a.names}
    contact_sheet(videos, frames=[int(f) for f in a.frames.split(',')], path=a.png, scale=2); print('written', a.png)
    side_by_side(videos, path=a.gif, fps=a.fps, scale=1); print('written', a.gif)

if __name__ == '__main__': main()
