#include "app/console/emoji_runs.h"

#include <algorithm>
#include <span>

namespace atende::app::console {

namespace {

struct Range {
    char32_t first;
    char32_t last;
};

// From Unicode 15.0 emoji-data.txt (as ICU 72 reports it). Emoji_Presentation in the BMP: emoji by default.
constexpr Range kEmojiBmp[] = {{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
                               {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
                               {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
                               {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
                               {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
                               {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
                               {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}};

// Emoji without Emoji_Presentation in the BMP (keycap bases aside): text unless U+FE0F or a skin tone follows.
constexpr Range kTextEmojiBmp[] = {
    {0x00A9, 0x00A9}, {0x00AE, 0x00AE}, {0x203C, 0x203C}, {0x2049, 0x2049}, {0x2122, 0x2122}, {0x2139, 0x2139},
    {0x2194, 0x2199}, {0x21A9, 0x21AA}, {0x2328, 0x2328}, {0x23CF, 0x23CF}, {0x23ED, 0x23EF}, {0x23F1, 0x23F2},
    {0x23F8, 0x23FA}, {0x24C2, 0x24C2}, {0x25AA, 0x25AB}, {0x25B6, 0x25B6}, {0x25C0, 0x25C0}, {0x25FB, 0x25FC},
    {0x2600, 0x2604}, {0x260E, 0x260E}, {0x2611, 0x2611}, {0x2618, 0x2618}, {0x261D, 0x261D}, {0x2620, 0x2620},
    {0x2622, 0x2623}, {0x2626, 0x2626}, {0x262A, 0x262A}, {0x262E, 0x262F}, {0x2638, 0x263A}, {0x2640, 0x2640},
    {0x2642, 0x2642}, {0x265F, 0x2660}, {0x2663, 0x2663}, {0x2665, 0x2666}, {0x2668, 0x2668}, {0x267B, 0x267B},
    {0x267E, 0x267E}, {0x2692, 0x2692}, {0x2694, 0x2697}, {0x2699, 0x2699}, {0x269B, 0x269C}, {0x26A0, 0x26A0},
    {0x26A7, 0x26A7}, {0x26B0, 0x26B1}, {0x26C8, 0x26C8}, {0x26CF, 0x26CF}, {0x26D1, 0x26D1}, {0x26D3, 0x26D3},
    {0x26E9, 0x26E9}, {0x26F0, 0x26F1}, {0x26F4, 0x26F4}, {0x26F7, 0x26F9}, {0x2702, 0x2702}, {0x2708, 0x2709},
    {0x270C, 0x270D}, {0x270F, 0x270F}, {0x2712, 0x2712}, {0x2714, 0x2714}, {0x2716, 0x2716}, {0x271D, 0x271D},
    {0x2721, 0x2721}, {0x2733, 0x2734}, {0x2744, 0x2744}, {0x2747, 0x2747}, {0x2763, 0x2764}, {0x27A1, 0x27A1},
    {0x2934, 0x2935}, {0x2B05, 0x2B07}, {0x3030, 0x3030}, {0x303D, 0x303D}, {0x3297, 0x3297}, {0x3299, 0x3299}};

// Emoji outside the BMP, whatever their default presentation (skin tones and regional indicators included).
constexpr Range kEmojiSmp[] = {
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F170, 0x1F171}, {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F1E6, 0x1F1FF}, {0x1F201, 0x1F202}, {0x1F21A, 0x1F21A}, {0x1F22F, 0x1F22F},
    {0x1F232, 0x1F23A}, {0x1F250, 0x1F251}, {0x1F300, 0x1F321}, {0x1F324, 0x1F393}, {0x1F396, 0x1F397},
    {0x1F399, 0x1F39B}, {0x1F39E, 0x1F3F0}, {0x1F3F3, 0x1F3F5}, {0x1F3F7, 0x1F4FD}, {0x1F4FF, 0x1F53D},
    {0x1F549, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F56F, 0x1F570}, {0x1F573, 0x1F57A}, {0x1F587, 0x1F587},
    {0x1F58A, 0x1F58D}, {0x1F590, 0x1F590}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A5}, {0x1F5A8, 0x1F5A8},
    {0x1F5B1, 0x1F5B2}, {0x1F5BC, 0x1F5BC}, {0x1F5C2, 0x1F5C4}, {0x1F5D1, 0x1F5D3}, {0x1F5DC, 0x1F5DE},
    {0x1F5E1, 0x1F5E1}, {0x1F5E3, 0x1F5E3}, {0x1F5E8, 0x1F5E8}, {0x1F5EF, 0x1F5EF}, {0x1F5F3, 0x1F5F3},
    {0x1F5FA, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CB, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6E5},
    {0x1F6E9, 0x1F6E9}, {0x1F6EB, 0x1F6EC}, {0x1F6F0, 0x1F6F0}, {0x1F6F3, 0x1F6FC}, {0x1F7E0, 0x1F7EB},
    {0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FA7C},
    {0x1FA80, 0x1FA88}, {0x1FA90, 0x1FABD}, {0x1FABF, 0x1FAC5}, {0x1FACE, 0x1FADB}, {0x1FAE0, 0x1FAE8},
    {0x1FAF0, 0x1FAF8}};

constexpr char32_t kZwj = 0x200D;
constexpr char32_t kTextSelector = 0xFE0E;
constexpr char32_t kEmojiSelector = 0xFE0F;
constexpr char32_t kKeycap = 0x20E3;
// Nothing below this unit starts or completes an emoji (© and ® need U+FE0F, keycaps U+20E3).
constexpr char16_t kLowestEmojiUnit = 0x203C;

bool contains(std::span<const Range> table, char32_t c)
{
    const auto it =
        std::upper_bound(table.begin(), table.end(), c, [](char32_t v, const Range &r) { return v < r.first; });
    return it != table.begin() && c <= std::prev(it)->last;
}

bool isSkinTone(char32_t c)
{
    return c >= 0x1F3FB && c <= 0x1F3FF;
}

bool isRegionalIndicator(char32_t c)
{
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}

bool isTag(char32_t c)
{
    return c >= 0xE0020 && c <= 0xE007F;
}

bool isKeycapBase(char32_t c)
{
    return c == u'#' || c == u'*' || (c >= u'0' && c <= u'9');
}

enum class Presentation { None, Text, Emoji };

Presentation presentation(char32_t c)
{
    if (c < 0xA9)
        return Presentation::None;
    if (c > 0xFFFF)
        return contains(kEmojiSmp, c) ? Presentation::Emoji : Presentation::None;
    if (contains(kEmojiBmp, c))
        return Presentation::Emoji;
    return contains(kTextEmojiBmp, c) ? Presentation::Text : Presentation::None;
}

struct CodePoint {
    char32_t value = 0;
    qsizetype size = 0; // 0 past the end
};

CodePoint at(QStringView text, qsizetype i)
{
    if (i >= text.size())
        return {};
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
        return {QChar::surrogateToUcs4(c, text.at(i + 1)), 2};
    return {c.unicode(), 1};
}

// One element at i (a pictograph, its selector, skin tone and tags): where it ends, i when there is none.
// After a ZWJ a text-default pictograph needs no selector ("🐻‍❄" is the polar bear either way).
qsizetype elementEnd(QStringView text, qsizetype i, bool afterZwj)
{
    const CodePoint base = at(text, i);
    const Presentation p = presentation(base.value);
    if (p == Presentation::None)
        return i;
    qsizetype end = i + base.size;
    const char32_t next = at(text, end).value;
    if (next == kTextSelector)
        return i;
    if (p == Presentation::Text && !afterZwj && next != kEmojiSelector && !isSkinTone(next))
        return i;
    if (next == kEmojiSelector)
        ++end;
    if (const CodePoint tone = at(text, end); isSkinTone(tone.value))
        end += tone.size;
    for (CodePoint tag = at(text, end); isTag(tag.value); tag = at(text, end))
        end += tag.size;
    return end;
}

// The emoji sequence starting at i: where it ends, i when none starts there.
qsizetype sequenceEnd(QStringView text, qsizetype i)
{
    const CodePoint first = at(text, i);
    if (isKeycapBase(first.value)) {
        qsizetype end = i + 1;
        if (at(text, end).value == kEmojiSelector)
            ++end;
        return at(text, end).value == kKeycap ? end + 1 : i;
    }
    if (isRegionalIndicator(first.value)) { // a flag is a pair; a lone indicator shows as a letter in a box
        const CodePoint second = at(text, i + first.size);
        return i + first.size + (isRegionalIndicator(second.value) ? second.size : 0);
    }
    qsizetype end = elementEnd(text, i, false);
    if (end == i)
        return i;
    while (at(text, end).value == kZwj) {
        const qsizetype next = elementEnd(text, end + 1, true);
        if (next == end + 1)
            break;
        end = next;
    }
    return end;
}

} // namespace

QList<EmojiRun> emojiRuns(QStringView text)
{
    QList<EmojiRun> runs;
    if (std::none_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= kLowestEmojiUnit; }))
        return runs;
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype end = sequenceEnd(text, i);
        if (end == i) {
            i += at(text, i).size;
            continue;
        }
        if (!runs.isEmpty() && runs.last().start + runs.last().length == i)
            runs.last().length = end - runs.last().start;
        else
            runs.append({i, end - i});
        i = end;
    }
    return runs;
}

} // namespace atende::app::console
