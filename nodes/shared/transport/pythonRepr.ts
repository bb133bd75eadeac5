/**
 * Reads the Python literals Letta puts into its error texts: repr() of a pydantic error list
 * (a 422's `detail`) and of tool call id lists (an approval 400). Tolerant: a call such as
 * `ValueError("…")` reads as its text, and anything unreadable ends the parse with undefined.
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

const ESCAPES: Record<string, string> = {
	n: '\n',
	r: '\r',
	t: '\t',
	'\\': '\\',
	"'": "'",
	'"': '"',
};

class Reader {
	private at = 0;

	constructor(private readonly text: string) {}

	private skipSpace() {
		while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
	}

	private peek(): string {
		this.skipSpace();
		return this.text[this.at] ?? '';
	}

	private expect(char: string) {
		if (this.peek() !== char) throw new Error(`expected ${char} at ${this.at}`);
		this.at++;
	}

	done(): boolean {
		return this.peek() === '';
	}

	value(): PyValue {
		const char = this.peek();
		if (char === "'" || char === '"') return this.string(char);
		if (char === '[') return this.sequence('[', ']');
		if (char === '(') return this.sequence('(', ')');
		if (char === '{') return this.dict();
		if (/[-\d]/.test(char)) return this.number();
		return this.word();
	}

	private string(quote: string): string {
		this.at++;
		let out = '';
		while (this.at < this.text.length) {
			const char = this.text[this.at++];
			if (char === quote) return out;
			if (char !== '\\') {
				out += char;
				continue;
			}
			const next = this.text[this.at++] ?? '';
			if (next === 'x' || next === 'u') {
				const length = next === 'x' ? 2 : 4;
				out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + length), 16));
				this.at += length;
			} else {
				out += ESCAPES[next] ?? `\\${next}`;
			}
		}
		throw new Error('unterminated string');
	}

	private sequence(open: string, close: string): PyValue[] {
		this.expect(open);
		const items: PyValue[] = [];
		while (this.peek() !== close) {
			items.push(this.value());
			if (this.peek() === ',') this.at++;
			else break;
		}
		this.expect(close);
		return items;
	}

	private dict(): { [key: string]: PyValue } {
		this.expect('{');
		const entries: { [key: string]: PyValue } = {};
		while (this.peek() !== '}') {
			const key = this.value();
			this.expect(':');
			entries[String(key)] = this.value();
			if (this.peek() === ',') this.at++;
			else break;
		}
		this.expect('}');
		return entries;
	}

	private number(): number {
		const match = /^-?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(this.text.slice(this.at));
		if (!match) throw new Error(`not a number at ${this.at}`);
		this.at += match[0].length;
		return Number(match[0]);
	}

	/** None, True, False, or a call like `ValueError("text")`, read as its first argument. */
	private word(): PyValue {
		const match = /^[A-Za-z_][\w.]*/.exec(this.text.slice(this.at));
		if (!match) throw new Error(`unexpected ${this.text[this.at]} at ${this.at}`);
		this.at += match[0].length;
		if (match[0] === 'None') return null;
		if (match[0] === 'True') return true;
		if (match[0] === 'False') return false;
		if (this.peek() !== '(') return match[0];
		const args = this.sequence('(', ')');
		return args.length === 1 && typeof args[0] === 'string' ? args[0] : match[0];
	}
}

/** The value a Python repr stands for, or undefined when the text is not one. */
export function parsePythonRepr(text: string): PyValue | undefined {
	try {
		const reader = new Reader(text);
		const value = reader.value();
		return reader.done() ? value : undefined;
	} catch {
		return undefined;
	}
}
