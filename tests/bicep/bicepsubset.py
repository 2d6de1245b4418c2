"""A parser for the subset of Bicep that peerc writes, and a check of its
layout against what Bicep's formatter writes.

The subset: `//` and `/* */` comments; declarations `metadata NAME = EXPR`,
`targetScope = EXPR`, `param NAME TYPE`, `resource SYM 'TYPE@VERSION' [existing] = OBJECT`,
`module SYM 'PATH' = OBJECT`; expressions: single-quoted strings (escapes
\\\\ \\' \\n \\r \\t \\$ \\u{HEX}), true, false, null, integers, objects and
arrays with one member per line, references `a.b.c` and calls `f(x, y)`.
A string with an interpolation (an unescaped `${`) is an error: peerc never
writes one, so one would be a literal `${` that escaped its escaping.

Everything is parsed for real, to a tree: the checks read values, never
grep text. Errors raise BicepError with a line and column."""

import re


class BicepError(Exception):
    def __init__(self, line, col, msg):
        super().__init__(f"{line}:{col}: {msg}")
        self.line, self.col, self.msg = line, col, msg


class Ref:
    """A reference: SYMBOL(.PROP)*."""

    def __init__(self, parts, line):
        self.parts, self.line = parts, line

    def __repr__(self):
        return ".".join(self.parts)


class Call:
    def __init__(self, name, args, line):
        self.name, self.args, self.line = name, args, line

    def __repr__(self):
        return f"{self.name}({', '.join(map(repr, self.args))})"


class Obj:
    """An object: keys in order, each with how it was written."""

    def __init__(self, line):
        self.items = []  # (key, quoted, value, line)
        self.line = line

    def get(self, key, default=None):
        for k, _, v, _ in self.items:
            if k == key:
                return v
        return default

    def keys(self):
        return [k for k, _, _, _ in self.items]


class Decl:
    """A top-level declaration."""

    def __init__(self, kind, line, **kw):
        self.kind, self.line = kind, line
        self.symbol = kw.get("symbol")
        self.type = kw.get("type")  # resource type@version or module path
        self.existing = kw.get("existing", False)
        self.value = kw.get("value")


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}


def tokenize(text):
    """Tokens (kind, value, line, col); kinds: ident int str nl punct."""
    toks = []
    i, line, bol = 0, 1, 0
    n = len(text)
    while i < n:
        c = text[i]
        col = i - bol + 1
        if c == "\n":
            toks.append(("nl", "\n", line, col))
            i += 1
            line += 1
            bol = i
        elif c in " \t":
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise BicepError(line, col, "unterminated comment")
            for ch in text[i:end]:
                if ch == "\n":
                    line += 1
            i = end + 2
        elif c == "'":
            s, i, line, bol = read_string(text, i, line, bol)
            toks.append(("str", s, line, col))
        elif c.isdigit():
            m = re.compile(r"[0-9]+").match(text, i)
            toks.append(("int", int(m.group()), line, col))
            i = m.end()
        elif IDENT.match(text, i):
            m = IDENT.match(text, i)
            toks.append(("ident", m.group(), line, col))
            i = m.end()
        elif c in "{}[]():=.,":
            toks.append(("punct", c, line, col))
            i += 1
        else:
            raise BicepError(line, col, f"unexpected character {c!r}")
    toks.append(("eof", None, line, i - bol + 1))
    return toks


def read_string(text, i, line, bol):
    """The value of the string at text[i] (a quote); the position after it."""
    start_line, col = line, i - bol + 1
    out = []
    i += 1
    while True:
        if i >= len(text) or text[i] == "\n":
            raise BicepError(start_line, col, "unterminated string")
        c = text[i]
        if c == "'":
            return "".join(out), i + 1, line, bol
        if c == "$" and text.startswith("${", i):
            raise BicepError(line, i - bol + 1,
                             "interpolation in a string (an unescaped '${')")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = text[i + 1:i + 2]
        if e in ESCAPES:
            out.append(ESCAPES[e])
            i += 2
        elif e == "u" and text.startswith("{", i + 2):
            end = text.find("}", i + 3)
            digits = text[i + 3:end]
            if end < 0 or not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits):
                raise BicepError(line, i - bol + 1, "bad \\u{...} escape")
            out.append(chr(int(digits, 16)))
            i = end + 1
        else:
            raise BicepError(line, i - bol + 1, f"unknown escape \\{e}")


class Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.p = 0

    def peek(self):
        return self.toks[self.p]

    def next(self):
        t = self.toks[self.p]
        self.p += 1
        return t

    def expect(self, kind, value=None):
        t = self.next()
        if t[0] != kind or (value is not None and t[1] != value):
            want = value if value is not None else kind
            raise BicepError(t[2], t[3], f"expected {want!r}, found {t[1]!r}")
        return t

    def skip_nl(self):
        while self.peek()[0] == "nl":
            self.next()

    def program(self):
        decls = []
        self.skip_nl()
        while self.peek()[0] != "eof":
            decls.append(self.decl())
            if self.peek()[0] != "eof":
                self.expect("nl")
            self.skip_nl()
        return decls

    def decl(self):
        t = self.expect("ident")
        kw, line = t[1], t[2]
        if kw == "metadata":
            name = self.expect("ident")[1]
            self.expect("punct", "=")
            return Decl("metadata", line, symbol=name, value=self.expr())
        if kw == "param":
            name = self.expect("ident")[1]
            typ = self.expect("ident")[1]
            if self.peek()[:2] == ("punct", "="):
                t = self.peek()
                raise BicepError(t[2], t[3], "a parameter default: not expected")
            return Decl("param", line, symbol=name, type=typ)
        if kw == "targetScope":
            self.expect("punct", "=")
            return Decl("targetScope", line, value=self.expr())
        if kw in ("resource", "module"):
            sym = self.expect("ident")[1]
            typ = self.expect("str")[1]
            existing = False
            if kw == "resource" and self.peek()[:2] == ("ident", "existing"):
                self.next()
                existing = True
            self.expect("punct", "=")
            if self.peek()[:2] != ("punct", "{"):
                t = self.peek()
                raise BicepError(t[2], t[3], "expected an object body")
            return Decl(kw, line, symbol=sym, type=typ, existing=existing,
                        value=self.expr())
        raise BicepError(t[2], t[3], f"unexpected declaration {kw!r}")

    def expr(self):
        t = self.next()
        kind, val, line, col = t
        if kind == "str":
            return val
        if kind == "int":
            return val
        if kind == "punct" and val == "{":
            return self.obj(line)
        if kind == "punct" and val == "[":
            return self.array(line)
        if kind == "ident":
            if val in ("true", "false"):
                return val == "true"
            if val == "null":
                return None
            if self.peek()[:2] == ("punct", "("):
                self.next()
                args = []
                while self.peek()[:2] != ("punct", ")"):
                    if args:
                        self.expect("punct", ",")
                    args.append(self.expr())
                self.next()
                return Call(val, args, line)
            parts = [val]
            while self.peek()[:2] == ("punct", "."):
                self.next()
                parts.append(self.expect("ident")[1])
            return Ref(parts, line)
        raise BicepError(line, col, f"expected a value, found {val!r}")

    def obj(self, line):
        o = Obj(line)
        if self.peek()[:2] == ("punct", "}"):
            self.next()
            return o
        self.expect("nl")
        self.skip_nl()
        while self.peek()[:2] != ("punct", "}"):
            t = self.next()
            if t[0] not in ("ident", "str"):
                raise BicepError(t[2], t[3], f"expected a key, found {t[1]!r}")
            self.expect("punct", ":")
            o.items.append((t[1], t[0] == "str", self.expr(), t[2]))
            self.expect("nl")
            self.skip_nl()
        self.next()
        return o

    def array(self, line):
        items = []
        if self.peek()[:2] == ("punct", "]"):
            self.next()
            return items
        self.expect("nl")
        self.skip_nl()
        while self.peek()[:2] != ("punct", "]"):
            items.append(self.expr())
            self.expect("nl")
            self.skip_nl()
        self.next()
        return items


def parse(text):
    return Parser(text).program()


def layout_errors(text):
    """Where text differs from what Bicep's formatter writes (defaults:
    2-space indent, LF, final newline, blank-line runs collapsed, none at
    the start or end, none just inside brackets)."""
    errs = []
    if "\r" in text:
        errs.append((1, "carriage return (Bicep's formatter writes LF)"))
    if not text.endswith("\n") or text.endswith("\n\n"):
        errs.append((1, "the file must end with exactly one newline"))
    lines = text.split("\n")[:-1]
    if lines and lines[0] == "":
        errs.append((1, "blank line at the start"))
    # One indent level per line that leaves brackets open, however many:
    # `union(x, {` indents its body once, and `})` closes that level.
    levels = []  # per open level, how many brackets it holds
    prev = None
    for no, l in enumerate(lines, 1):
        if l != l.rstrip():
            errs.append((no, "trailing white space"))
        if "\t" in l:
            errs.append((no, "tab"))
        body = l.strip()
        if body == "":
            if prev == "":
                errs.append((no, "two blank lines"))
            elif prev is not None and prev.rstrip().endswith(("{", "[", "(")):
                errs.append((no, "blank line after an opening bracket"))
        else:
            if prev == "" and body[0] in "}])":
                errs.append((no, "blank line before a closing bracket"))
            code = strip_strings(body)
            lead = len(code) - len(code.lstrip("}])"))
            close(levels, lead)
            want = 2 * len(levels)
            got = len(l) - len(l.lstrip(" "))
            if got != want:
                errs.append((no, f"indented {got}, the formatter writes {want}"))
            opened = 0
            for ch in code[lead:]:
                if ch in "{[(":
                    opened += 1
                elif ch in "}])":
                    if opened:
                        opened -= 1
                    else:
                        close(levels, 1)
            if opened:
                levels.append(opened)
        prev = body
    return errs


def close(levels, n):
    while n and levels:
        take = min(n, levels[-1])
        levels[-1] -= take
        n -= take
        if levels[-1] == 0:
            levels.pop()


def strip_strings(line):
    """The line without string contents and comments, for bracket counts."""
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c == "'":
            i += 1
            while i < len(line) and line[i] != "'":
                i += 2 if line[i] == "\\" else 1
            i += 1
            continue
        if line.startswith("//", i):
            break
        out.append(c)
        i += 1
    return "".join(out)
