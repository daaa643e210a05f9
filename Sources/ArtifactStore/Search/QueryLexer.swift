/// Cuts a `find --where` expression into tokens, each knowing its position for error carets.
struct QueryLexer {
    private let text: String
    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    /// Every token, ending with `.end`.
    /// - Throws: `QueryError` at an unknown character or an unclosed string.
    static func tokens(of text: String) throws -> [QueryToken] {
        var lexer = QueryLexer(text)
        var tokens: [QueryToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func failure(_ reason: String, at offset: Int) -> QueryError {
        QueryError(expression: text, offset: offset, reason: reason)
    }

    private func peek(_ ahead: Int = 0) -> Character? {
        position + ahead < characters.count ? characters[position + ahead] : nil
    }

    private mutating func next() throws -> QueryToken {
        while let character = peek(), character.isWhitespace { position += 1 }
        let start = position
        guard let character = peek() else { return QueryToken(kind: .end, offset: start, length: 0) }
        func token(_ kind: QueryToken.Kind) -> QueryToken {
            QueryToken(kind: kind, offset: start, length: position - start)
        }
        switch character {
        case "(":
            position += 1
            return token(.openParenthesis)
        case ")":
            position += 1
            return token(.closeParenthesis)
        case "=":
            position += peek(1) == "=" ? 2 : 1
            return token(.comparison(.equal))
        case "!":
            guard peek(1) == "=" else { throw failure("'!' must be followed by '=' ('!='); negate with 'not'", at: start) }
            position += 2
            return token(.comparison(.notEqual))
        case "<":
            if peek(1) == ">" {
                position += 2
                return token(.comparison(.notEqual))
            }
            position += peek(1) == "=" ? 2 : 1
            return token(position - start == 2 ? .comparison(.lessOrEqual) : .comparison(.less))
        case ">":
            position += peek(1) == "=" ? 2 : 1
            return token(position - start == 2 ? .comparison(.greaterOrEqual) : .comparison(.greater))
        case "\"", "'":
            return token(.string(try quotedText()))
        case "-", "+", ".", "0"..."9":
            return try numberOrDate(start: start)
        default:
            guard QueryLexer.startsWord(character) else {
                throw failure("unexpected character '\(character)'", at: start)
            }
            return try path(start: start)
        }
    }

    /// Letters of any script: metadata keys such as `精度` or `größe` are typed as they are, as
    /// project names and aliases are; only punctuation and spaces need quotes.
    static func startsWord(_ character: Character) -> Bool {
        character == "_" || character.isLetter
    }

    static func continuesWord(_ character: Character) -> Bool {
        character == "_" || character == "-" || character.isLetter || character.isNumber
    }

    /// A string in double or single quotes; `\` escapes the quote, `\` itself, `n` and `t`.
    private mutating func quotedText() throws -> String {
        let start = position
        let quote = characters[position]
        position += 1
        var value = ""
        while let character = peek() {
            position += 1
            if character == quote { return value }
            if character == "\\" {
                guard let escaped = peek() else { break }
                position += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else {
                value.append(character)
            }
        }
        throw failure("unclosed string: no closing \(quote)", at: start)
    }

    /// A key path: words joined by dots, each word letters, digits, `_` and `-`, or a quoted string.
    private mutating func path(start: Int) throws -> QueryToken {
        var segments: [String] = []
        var quoted: [Bool] = []
        while true {
            if let character = peek(), character == "\"" || character == "'" {
                segments.append(try quotedText())
                quoted.append(true)
            } else if let character = peek(), QueryLexer.startsWord(character) || character.isNumber {
                let wordStart = position
                while let next = peek(), QueryLexer.continuesWord(next) { position += 1 }
                segments.append(String(characters[wordStart..<position]))
                quoted.append(false)
            } else {
                throw failure("expected a key name after '.'", at: position)
            }
            guard peek() == "." else { break }
            position += 1
        }
        return QueryToken(kind: .path(segments, quoted: quoted), offset: start, length: position - start)
    }

    /// `-3`, `0.9`, `1e-4`, `10MB`, `1.5 GiB` is not allowed (no space), or a date `2024-05-01[T12:00[:00][Z]]`.
    private mutating func numberOrDate(start: Int) throws -> QueryToken {
        var digits = 0
        while let character = peek(digits), character.isASCII, character.isNumber { digits += 1 }
        if digits == 4, peek(4) == "-", let after = peek(5), after.isASCII, after.isNumber {
            while let character = peek(), character.isASCII,
                character.isNumber || "-:.TZ+".contains(character)
            {
                position += 1
            }
            return QueryToken(kind: .date(String(characters[start..<position])), offset: start, length: position - start)
        }
        if peek() == "-" || peek() == "+" { position += 1 }
        let mantissaStart = position
        while let character = peek(), character.isASCII, character.isNumber || character == "." { position += 1 }
        guard position > mantissaStart else { throw failure("expected a number after '\(characters[start])'", at: start) }
        // An exponent: `e`, an optional sign, digits (`1e-4`); a lone `e` would be the start of a unit.
        if let e = peek(), e == "e" || e == "E" {
            var ahead = 1
            if peek(1) == "-" || peek(1) == "+" { ahead += 1 }
            if let digit = peek(ahead), digit.isASCII, digit.isNumber {
                position += ahead
                while let character = peek(), character.isASCII, character.isNumber { position += 1 }
            }
        }
        while let character = peek(), character.isASCII, character.isLetter { position += 1 }
        return QueryToken(kind: .number(String(characters[start..<position])), offset: start, length: position - start)
    }
}
