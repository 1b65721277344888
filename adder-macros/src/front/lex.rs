//! The spec-file lexer: a spec file's text into token trees, each at its
//! line and column. It lexes what the spec grammar uses, as rustc would:
//! identifiers (keywords and `r#` ones too), integers (`_`, `0x`, `0o`,
//! `0b`, suffixes), floats (`1.5`, `1e-6`, `2.`), strings (escapes, raw
//! strings), punctuation, brackets, line and (nested) block comments, any
//! whitespace (CRLF and tabs included), a byte-order mark at the start.
//! Brackets nest at most [`MAX_NESTING`] deep; the lexer keeps its own
//! stack, so no input can overflow the compiler's.

use crate::front::errors::Error;
use crate::front::errors::MAX_NESTING;
use crate::front::tokens::{Delim, Group, Lit, Loc, Name, Tree};

/// The text's trees, or every error the lexer found (each located).
pub fn lex(text: &str) -> Result<Vec<Tree>, Vec<Error>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        column: 1,
    };
    let mut errors = Vec::new();
    // The groups open around the current place, innermost last.
    let mut open: Vec<(Delim, Loc, Vec<Tree>)> = Vec::new();
    let mut trees = Vec::new();
    while let Some(c) = lexer.peek(0) {
        let loc = lexer.loc();
        if c.is_whitespace() {
            lexer.bump();
        } else if c == '/' && lexer.peek(1) == Some('/') {
            while lexer.peek(0).is_some_and(|c| c != '\n') {
                lexer.bump();
            }
        } else if c == '/' && lexer.peek(1) == Some('*') {
            if !lexer.block_comment() {
                errors.push(Error::new(loc, "unterminated block comment"));
            }
        } else if let Some(delim) = opening(c) {
            lexer.bump();
            if open.len() >= MAX_NESTING {
                errors.push(Error::new(
                    loc,
                    format!("brackets nested deeper than {MAX_NESTING} levels"),
                ));
                return Err(errors);
            }
            open.push((delim, loc, std::mem::take(&mut trees)));
        } else if let Some(delim) = closing(c) {
            lexer.bump();
            match open.pop() {
                Some((opened, at, outer)) if opened == delim => {
                    let inner = std::mem::replace(&mut trees, outer);
                    trees.push(Tree::Group(Group {
                        delim,
                        trees: inner,
                        open: at,
                        close: loc,
                    }));
                }
                Some((_, at, _)) => {
                    errors.push(Error::new(
                        loc,
                        format!("unexpected closing delimiter `{c}`"),
                    ));
                    errors.push(Error::new(at, "this delimiter is not closed"));
                    return Err(errors);
                }
                None => {
                    errors.push(Error::new(
                        loc,
                        format!("unexpected closing delimiter `{c}`"),
                    ));
                    return Err(errors);
                }
            }
        } else {
            match lexer.token() {
                Ok(tree) => trees.push(tree),
                Err(message) => errors.push(Error::new(loc, message)),
            }
        }
    }
    if let Some((_, at, _)) = open.last() {
        errors.push(Error::new(*at, "this delimiter is not closed"));
    }
    if errors.is_empty() {
        Ok(trees)
    } else {
        Err(errors)
    }
}

fn opening(c: char) -> Option<Delim> {
    match c {
        '(' => Some(Delim::Paren),
        '[' => Some(Delim::Bracket),
        '{' => Some(Delim::Brace),
        _ => None,
    }
}

fn closing(c: char) -> Option<Delim> {
    match c {
        ')' => Some(Delim::Paren),
        ']' => Some(Delim::Bracket),
        '}' => Some(Delim::Brace),
        _ => None,
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    column: usize,
}

impl Lexer {
    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn loc(&self) -> Loc {
        Loc::At {
            line: self.line,
            column: self.column,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    /// Takes characters while `keep` holds.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut taken = String::new();
        while let Some(c) = self.peek(0).filter(|&c| keep(c)) {
            taken.push(c);
            self.bump();
        }
        taken
    }

    /// Skips a block comment (they nest, as in Rust); false if it never ends.
    fn block_comment(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some(c) = self.bump() {
            if c == '/' && self.peek(0) == Some('*') {
                self.bump();
                depth += 1;
            } else if c == '*' && self.peek(0) == Some('/') {
                self.bump();
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            }
        }
        false
    }

    /// One token that is not a bracket: the lexer stands on its first char.
    fn token(&mut self) -> Result<Tree, String> {
        let loc = self.loc();
        let c = self.peek(0).unwrap_or(' ');
        if c == 'r' && self.raw_string_starts() {
            self.bump();
            return self
                .raw_string()
                .map(|value| Tree::Lit(Lit::Str(value), loc));
        }
        if c == 'r' && self.peek(1) == Some('#') && self.peek(2).is_some_and(is_ident_start) {
            self.bump();
            self.bump();
            return Ok(Tree::Ident(Name::new(
                self.take_while(is_ident_continue),
                loc,
            )));
        }
        if is_ident_start(c) {
            let text = self.take_while(is_ident_continue);
            if self.peek(0) == Some('"') && (text == "b" || text == "c") {
                self.bump();
                return self.string().map(|_| Tree::Lit(Lit::Other, loc));
            }
            return Ok(Tree::Ident(Name::new(text, loc)));
        }
        if c.is_ascii_digit() {
            return self.number().map(|lit| Tree::Lit(lit, loc));
        }
        if c == '"' {
            self.bump();
            return self.string().map(|value| Tree::Lit(Lit::Str(value), loc));
        }
        self.bump();
        // Rust's punctuation characters; a backtick or a backslash is none.
        if "=<>!~+-*/%^&|@.,;:#$?'".contains(c) {
            Ok(Tree::Punct(c, loc))
        } else {
            Err(format!("unexpected character `{}`", c.escape_debug()))
        }
    }

    /// A number: an integer (any radix) or a decimal float, and its suffix.
    fn number(&mut self) -> Result<Lit, String> {
        let radix = match (self.peek(0), self.peek(1)) {
            (Some('0'), Some('x')) => 16,
            (Some('0'), Some('o')) => 8,
            (Some('0'), Some('b')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.bump();
            self.bump();
            let digits: String = self
                .take_while(|c| c == '_' || c.is_ascii_hexdigit())
                .replace('_', "");
            let value = u128::from_str_radix(&digits, radix)
                .map_err(|_| "expected digits of the literal's base".to_owned())?;
            let suffix = self.take_while(is_ident_continue);
            return Ok(Lit::Int {
                digits: value.to_string(),
                suffix,
            });
        }
        let mut digits = self.take_while(|c| c == '_' || c.is_ascii_digit());
        let mut float = false;
        // `1.5` and `2.` are floats; `0.attn` (a layer's path) and `1..` are not.
        if self.peek(0) == Some('.') && !self.peek(1).is_some_and(|c| c == '.' || is_ident_start(c))
        {
            self.bump();
            digits.push('.');
            digits += &self.take_while(|c| c == '_' || c.is_ascii_digit());
            float = true;
        }
        let exponent_digit = |n: usize| self.peek(n).is_some_and(|c| c.is_ascii_digit());
        if matches!(self.peek(0), Some('e' | 'E'))
            && (exponent_digit(1) || matches!(self.peek(1), Some('+' | '-')) && exponent_digit(2))
        {
            digits.push('e');
            self.bump();
            if let Some(sign @ ('+' | '-')) = self.peek(0) {
                digits.push(sign);
                self.bump();
            }
            digits += &self.take_while(|c| c == '_' || c.is_ascii_digit());
            float = true;
        }
        let digits = digits.replace('_', "");
        let suffix = self.take_while(is_ident_continue);
        Ok(if float {
            Lit::Float { digits, suffix }
        } else {
            // Without leading zeros, as `syn` gives an inline literal's
            // digits (`007` is `7`).
            let digits = match digits.trim_start_matches('0') {
                "" => "0".to_owned(),
                trimmed => trimmed.to_owned(),
            };
            Lit::Int { digits, suffix }
        })
    }

    /// A string after its opening quote, escapes resolved.
    fn string(&mut self) -> Result<String, String> {
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return Err("unterminated string".to_owned()),
                Some('"') => return Ok(value),
                Some('\\') => match self.bump() {
                    Some('n') => value.push('\n'),
                    Some('r') => value.push('\r'),
                    Some('t') => value.push('\t'),
                    Some('0') => value.push('\0'),
                    Some(c @ ('\\' | '"' | '\'')) => value.push(c),
                    Some('\n') => {
                        self.take_while(char::is_whitespace);
                    }
                    Some('x') => {
                        let hex: String = (0..2).filter_map(|_| self.bump()).collect();
                        let byte = u8::from_str_radix(&hex, 16)
                            .ok()
                            .filter(u8::is_ascii)
                            .ok_or("expected `\\x` and two hex digits up to 7F")?;
                        value.push(char::from(byte));
                    }
                    Some('u') => {
                        let code = (self.bump() == Some('{'))
                            .then(|| self.take_while(|c| c != '}' && c != '"'))
                            .filter(|_| self.bump() == Some('}'))
                            .and_then(|hex| u32::from_str_radix(&hex.replace('_', ""), 16).ok())
                            .and_then(char::from_u32)
                            .ok_or("expected `\\u{..}` with a character's hex code")?;
                        value.push(code);
                    }
                    _ => return Err("unknown character escape".to_owned()),
                },
                Some(c) => value.push(c),
            }
        }
    }

    /// Whether `r` starts a raw string: `r"` or `r#..#"`.
    fn raw_string_starts(&self) -> bool {
        let mut n = 1;
        while self.peek(n) == Some('#') {
            n += 1;
        }
        self.peek(n) == Some('"')
    }

    /// A raw string after its `r`: `"..."` or `#"..."#`, hashes matched.
    fn raw_string(&mut self) -> Result<String, String> {
        let hashes = self.take_while(|c| c == '#').len();
        if self.bump() != Some('"') {
            return Err("expected `\"` after `r#`".to_owned());
        }
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return Err("unterminated raw string".to_owned()),
                Some('"') if (0..hashes).all(|n| self.peek(n) == Some('#')) => {
                    for _ in 0..hashes {
                        self.bump();
                    }
                    return Ok(value);
                }
                Some(c) => value.push(c),
            }
        }
    }
}
