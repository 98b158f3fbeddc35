#include "ordered_json.h"

namespace atende::server::whatsapp::test {

namespace {

class Parser {
public:
    explicit Parser(QByteArrayView text)
        : m_text(text)
    {}

    std::optional<OrderedJson> document()
    {
        auto v = value();
        skipSpace();
        if (!v || m_pos != m_text.size())
            return std::nullopt;
        return v;
    }

private:
    void skipSpace()
    {
        while (m_pos < m_text.size() && QByteArrayView(" \t\r\n").contains(m_text[m_pos]))
            ++m_pos;
    }

    bool eat(char c)
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool literal(QByteArrayView word)
    {
        if (m_text.sliced(m_pos).startsWith(word)) {
            m_pos += word.size();
            return true;
        }
        return false;
    }

    std::optional<QString> string()
    {
        if (!eat('"'))
            return std::nullopt;
        QByteArray utf8;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            char c = m_text[m_pos++];
            if (c != '\\') {
                utf8.append(c);
                continue;
            }
            if (m_pos >= m_text.size())
                return std::nullopt;
            const char e = m_text[m_pos++];
            switch (e) {
            case 'n': utf8.append('\n'); break;
            case 't': utf8.append('\t'); break;
            case 'r': utf8.append('\r'); break;
            case 'b': utf8.append('\b'); break;
            case 'f': utf8.append('\f'); break;
            case 'u': {
                if (m_pos + 4 > m_text.size())
                    return std::nullopt;
                bool ok = false;
                const ushort code = m_text.sliced(m_pos, 4).toByteArray().toUShort(&ok, 16);
                if (!ok)
                    return std::nullopt;
                m_pos += 4;
                utf8.append(QString(QChar(code)).toUtf8()); // vectors use no surrogate pairs
                break;
            }
            default: utf8.append(e);
            }
        }
        if (!eat('"'))
            return std::nullopt;
        return QString::fromUtf8(utf8);
    }

    std::optional<OrderedJson> value()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return std::nullopt;
        OrderedJson v;
        const char c = m_text[m_pos];
        if (c == '{') {
            ++m_pos;
            v.type = OrderedJson::Type::Object;
            if (eat('}'))
                return v;
            do {
                auto key = string();
                if (!key || !eat(':'))
                    return std::nullopt;
                auto member = value();
                if (!member)
                    return std::nullopt;
                v.object.emplace_back(*key, std::move(*member));
            } while (eat(','));
            return eat('}') ? std::optional(v) : std::nullopt;
        }
        if (c == '[') {
            ++m_pos;
            v.type = OrderedJson::Type::Array;
            if (eat(']'))
                return v;
            do {
                auto element = value();
                if (!element)
                    return std::nullopt;
                v.array.push_back(std::move(*element));
            } while (eat(','));
            return eat(']') ? std::optional(v) : std::nullopt;
        }
        if (c == '"') {
            auto s = string();
            if (!s)
                return std::nullopt;
            v.type = OrderedJson::Type::String;
            v.string = *s;
            return v;
        }
        if (literal("true") || literal("false")) {
            v.type = OrderedJson::Type::Bool;
            v.boolean = m_text[m_pos - 1] == 'e' && m_text[m_pos - 2] == 'u';
            return v;
        }
        if (literal("null"))
            return v;
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && QByteArrayView("+-0123456789.eE").contains(m_text[m_pos]))
            ++m_pos;
        bool ok = false;
        v.type = OrderedJson::Type::Number;
        v.number = m_text.sliced(start, m_pos - start).toByteArray().toDouble(&ok);
        return ok ? std::optional(v) : std::nullopt;
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

} // namespace

const OrderedJson *OrderedJson::find(QStringView key) const
{
    for (const auto &[k, v] : object) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

std::optional<OrderedJson> OrderedJson::parse(QByteArrayView utf8)
{
    return Parser(utf8).document();
}

} // namespace atende::server::whatsapp::test
