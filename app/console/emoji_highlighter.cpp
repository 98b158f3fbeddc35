#include "app/console/emoji_highlighter.h"

namespace atende::app::console {

EmojiHighlighter::EmojiHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{}

void EmojiHighlighter::highlightBlock(const QString &text)
{
    for (const QTextLayout::FormatRange &range : m_emoji.formats(text))
        setFormat(range.start, range.length, range.format);
}

} // namespace atende::app::console
