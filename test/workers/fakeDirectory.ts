/**
 * An in-memory stand-in for the File System Access API's directory and file handles, with
 * the parts directorySink uses: writable streams that commit on close, removeEntry, and
 * an optional move().
 */
export class FakeFileHandle {
  readonly kind = 'file';
  content = new Uint8Array(0);
  /** Set false to take away move(), as in browsers without it. */
  movable = true;

  constructor(
    public name: string,
    private readonly parent: FakeDirectory,
  ) {}

  async createWritable(): Promise<WritableStream & { write(chunk: Uint8Array): Promise<void> }> {
    const parts: Uint8Array[] = [];
    const stream = new WritableStream<Uint8Array>({
      write: (chunk) => void parts.push(chunk.slice()),
      close: () => {
        const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
        this.content = new Uint8Array(total);
        let offset = 0;
        for (const p of parts) {
          this.content.set(p, offset);
          offset += p.byteLength;
        }
      },
    });
    return Object.assign(stream, {
      async write(chunk: Uint8Array) {
        const writer = stream.getWriter();
        await writer.write(chunk);
        writer.releaseLock();
      },
    });
  }

  async getFile(): Promise<Blob> {
    return new Blob([this.content as Uint8Array<ArrayBuffer>]);
  }

  get move(): ((name: string) => Promise<void>) | undefined {
    if (!this.movable) return undefined;
    return async (name: string) => {
      this.parent.entries.delete(this.name);
      this.name = name;
      this.parent.entries.set(name, this);
    };
  }
}

export class FakeDirectory {
  readonly kind = 'directory';
  readonly entries = new Map<string, FakeDirectory | FakeFileHandle>();
  movable = true;

  constructor(public name = 'root') {}

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<FakeDirectory> {
    const entry = this.entries.get(name);
    if (entry instanceof FakeDirectory) return entry;
    if (entry || !options.create) throw new DOMException(`${name} not found`, 'NotFoundError');
    const created = new FakeDirectory(name);
    created.movable = this.movable;
    this.entries.set(name, created);
    return created;
  }

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeFileHandle> {
    const entry = this.entries.get(name);
    if (entry instanceof FakeFileHandle) return entry;
    if (entry || !options.create) throw new DOMException(`${name} not found`, 'NotFoundError');
    const created = new FakeFileHandle(name, this);
    created.movable = this.movable;
    this.entries.set(name, created);
    return created;
  }

  async removeEntry(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new DOMException(`${name} not found`, 'NotFoundError');
    if (entry instanceof FakeDirectory && entry.entries.size > 0) throw new DOMException(`${name} is not empty`, 'InvalidModificationError');
    this.entries.delete(name);
  }

  /** Lists every file below this folder as "path:bytes", sorted. */
  listing(prefix = ''): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry instanceof FakeDirectory) out.push(...entry.listing(`${prefix}${name}/`));
      else out.push(`${prefix}${name}:${entry.content.byteLength}`);
    }
    return out.sort();
  }

  /** Lists every folder below this one by path. */
  folders(prefix = ''): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.entries) if (entry instanceof FakeDirectory) out.push(`${prefix}${name}`, ...entry.folders(`${prefix}${name}/`));
    return out.sort();
  }
}
