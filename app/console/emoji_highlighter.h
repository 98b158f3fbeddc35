#pragma once
// Puts the emoji of a text document (the composer's) in the colour emoji font as they are typed, pasted or
// picked. Formats of a highlighter are layout-only: the document's text, undo stack and textChanged() are
// untouched, so drafts and the typing indicator see exactly what was typed.

#include "app/console/emoji_font.h"

#include <QSyntaxHighlighter>

namespace atende::app::console {

class EmojiHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit EmojiHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    EmojiFont m_emoji;
};

} // namespace atende::app::console
