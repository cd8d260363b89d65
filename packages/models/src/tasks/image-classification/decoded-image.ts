/** Raw interleaved RGB pixels: what every image backend receives, cheap to move between threads. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}
