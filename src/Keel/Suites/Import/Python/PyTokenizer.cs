using System.Globalization;
using System.Text;

namespace Keel.Suites.Import.Python;

/// <summary>
/// Splits Python source into tokens: names, string literals (decoded as Python does, including triple quotes,
/// raw strings and escapes), numbers, operators, and the ends of logical lines. Comments, blank lines,
/// backslash continuations and line breaks inside brackets produce nothing.
/// </summary>
internal sealed class PyTokenizer(string source)
{
    private static readonly string[] TwoCharOps = ["**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "->", ":="];
    private readonly string _text = source.Replace("\r\n", "\n").Replace('\r', '\n');
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _depth;

    public static List<PyToken> Tokenize(string source) => new PyTokenizer(source).Run();

    private int Column => _pos - _lineStart + 1;

    private List<PyToken> Run()
    {
        var tokens = new List<PyToken>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                if (_depth == 0 && tokens.Count > 0 && tokens[^1].Kind != PyTokenKind.Newline) tokens.Add(new(PyTokenKind.Newline, "\n", null, _line, Column));
                NewLine();
            }
            else if (c is ' ' or '\t' or '\f')
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
            }
            else if (c == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n')
            {
                _pos++;
                NewLine();
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(ReadString(_pos, ""));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                tokens.Add(ReadName());
            }
            else if (char.IsAsciiDigit(c))
            {
                var (line, column, start) = (_line, Column, _pos);
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.')) _pos++;
                tokens.Add(new(PyTokenKind.Number, _text[start.._pos], null, line, column));
            }
            else
            {
                tokens.Add(ReadOp());
            }
        }

        if (tokens.Count > 0 && tokens[^1].Kind != PyTokenKind.Newline) tokens.Add(new(PyTokenKind.Newline, "\n", null, _line, Column));
        tokens.Add(new(PyTokenKind.End, "", null, _line, Column));
        return tokens;
    }

    private void NewLine()
    {
        _pos++;
        _line++;
        _lineStart = _pos;
    }

    private PyToken ReadName()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        var name = _text[start.._pos];
        if (_pos < _text.Length && _text[_pos] is '"' or '\'' && name.Length <= 2 && name.All(ch => "rRbBuUfF".Contains(ch)))
        {
            return ReadString(start, name.ToLowerInvariant());
        }

        return new(PyTokenKind.Name, name, null, _line, start - _lineStart + 1);
    }

    private PyToken ReadOp()
    {
        var (line, column) = (_line, Column);
        var two = _pos + 1 < _text.Length ? _text.Substring(_pos, 2) : "";
        var op = TwoCharOps.Contains(two) ? two : _text[_pos].ToString();
        _pos += op.Length;
        if (op is "(" or "[" or "{") _depth++;
        if (op is ")" or "]" or "}") _depth = Math.Max(0, _depth - 1);
        return new(PyTokenKind.Op, op, null, line, column);
    }

    private PyToken ReadString(int start, string prefix)
    {
        var (line, column) = (_line, start - _lineStart + 1);
        var quote = _text[_pos];
        var triple = _pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        _pos += delimiter.Length;
        var raw = prefix.Contains('r');
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw new PyException("a string literal is not closed", line, column);
            var c = _text[_pos];
            if (_text.AsSpan(_pos).StartsWith(delimiter)) break;
            if (c == '\n')
            {
                if (!triple) throw new PyException("a string literal is not closed before the end of the line", line, column);
                value.Append('\n');
                NewLine();
                continue;
            }

            if (c == '\\' && _pos + 1 < _text.Length)
            {
                if (raw)
                {
                    // A backslash in a raw string stays, and keeps the next character (even a quote) in the string.
                    value.Append(c).Append(_text[_pos + 1]);
                    if (_text[_pos + 1] == '\n')
                    {
                        _pos++;
                        NewLine();
                    }
                    else
                    {
                        _pos += 2;
                    }

                    continue;
                }

                Escape(value, line, column);
                continue;
            }

            value.Append(c);
            _pos++;
        }

        _pos += delimiter.Length;
        var unsupported = prefix.Contains('f') ? "an f-string" : prefix.Contains('b') ? "a bytes literal" : null;
        return new(PyTokenKind.String, _text[start.._pos], value.ToString(), line, column, unsupported);
    }

    private void Escape(StringBuilder value, int line, int column)
    {
        var next = _text[_pos + 1];
        _pos += 2;
        switch (next)
        {
            case '\n':
                _pos--;
                NewLine();
                return;
            case '\\' or '\'' or '"':
                value.Append(next);
                return;
            case 'n': value.Append('\n'); return;
            case 't': value.Append('\t'); return;
            case 'r': value.Append('\r'); return;
            case 'a': value.Append('\a'); return;
            case 'b': value.Append('\b'); return;
            case 'f': value.Append('\f'); return;
            case 'v': value.Append('\v'); return;
            case 'x': value.Append((char)Hex(2, line, column)); return;
            case 'u': value.Append((char)Hex(4, line, column)); return;
            case 'U': value.Append(char.ConvertFromUtf32(Hex(8, line, column))); return;
            case 'N': throw new PyException("a \\N{...} escape is not supported", line, column);
        }

        if (next is >= '0' and <= '7')
        {
            var digits = next.ToString();
            while (digits.Length < 3 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7') digits += _text[_pos++];
            value.Append((char)Convert.ToInt32(digits, 8));
            return;
        }

        // Python keeps an unknown escape as written.
        value.Append('\\').Append(next);
    }

    private int Hex(int length, int line, int column)
    {
        if (_pos + length > _text.Length || !int.TryParse(_text.AsSpan(_pos, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
        {
            throw new PyException($"a \\x, \\u or \\U escape needs {length} hex digits", line, column);
        }

        _pos += length;
        return code;
    }
}
