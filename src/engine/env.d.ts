// The engine runs in Node and in a worker; both have structuredClone, which ES2023's lib does not declare.
// tsconfig.engine.json type-checks the engine without DOM or Node types so browser globals can't creep in.
declare function structuredClone<T>(value: T): T;
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
