#include "server/whatsapp/token_dictionary.h"

#include <algorithm>

namespace atende::server::whatsapp {

std::optional<std::string_view> TokenDictionary::singleByte(quint8 index)
{
    const auto tokens = detail::singleByteTokens();
    if (index == 0 || index >= tokens.size())
        return std::nullopt;
    return tokens[index];
}

std::optional<std::string_view> TokenDictionary::doubleByte(int dictionary, quint8 index)
{
    const auto tokens = detail::doubleByteTokens(dictionary);
    if (index >= tokens.size())
        return std::nullopt;
    return tokens[index];
}

std::optional<TokenCode> TokenDictionary::find(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    const auto index = detail::sortedTokenIndex();
    const auto it = std::lower_bound(index.begin(), index.end(), text,
                                     [](const detail::TokenIndexEntry &e, std::string_view t) { return e.text < t; });
    if (it == index.end() || it->text != text)
        return std::nullopt;
    return TokenCode{it->dictionary, it->index};
}

} // namespace atende::server::whatsapp
