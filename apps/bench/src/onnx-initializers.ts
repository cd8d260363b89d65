import { readFile } from 'node:fs/promises';

type Field = [number, bigint | Uint8Array];

function* protobufFields(buffer: Uint8Array): Generator<Field> {
  let offset = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buffer[offset++] ?? 0;
      value |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const wire = key & 7;
    if (wire === 0) yield [key >> 3, varint()];
    else if (wire === 2) {
      const length = Number(varint());
      yield [key >> 3, buffer.subarray(offset, offset + length)];
      offset += length;
    } else if (wire === 5 || wire === 1) {
      const length = wire === 5 ? 4 : 8;
      yield [key >> 3, buffer.subarray(offset, offset + length)];
      offset += length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

/**
 * The float32 initializers (weights) of an ONNX file by name, read straight from its protobuf
 * (ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto name = 8, raw_data = 9), so the
 * FastAPI baseline can compute the very same model with numpy.
 */
export async function readFloatInitializers(file: string): Promise<Record<string, number[]>> {
  const model = await readFile(file);
  const graph = [...protobufFields(model)].find(([field]) => field === 7)?.[1];
  if (!(graph instanceof Uint8Array)) throw new Error(`${file} has no graph`);
  const weights: Record<string, number[]> = {};
  for (const [field, value] of protobufFields(graph)) {
    if (field !== 5 || !(value instanceof Uint8Array)) continue;
    let name = '';
    let raw: Uint8Array | undefined;
    for (const [tensorField, tensorValue] of protobufFields(value)) {
      if (tensorField === 8 && tensorValue instanceof Uint8Array)
        name = Buffer.from(tensorValue).toString();
      if (tensorField === 9 && tensorValue instanceof Uint8Array) raw = tensorValue;
    }
    if (raw) {
      const bytes = Buffer.from(raw);
      weights[name] = Array.from({ length: bytes.length / 4 }, (_, index) =>
        bytes.readFloatLE(index * 4),
      );
    }
  }
  return weights;
}
