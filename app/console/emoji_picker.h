#pragma once
// The composer's emoji popup: a search box (names in English and Portuguese), a tab per category and a grid.
// Clicking an emoji, or Enter on the first match of a search, emits picked(); the composer inserts it at the
// cursor. The popup stays open for several picks and closes with Escape or a click outside.

#include "app/console/emoji_catalog.h"

#include <QFrame>

class QLineEdit;
class QListWidget;
class QTabBar;

namespace atende::app::console {

class EmojiPicker : public QFrame {
    Q_OBJECT
public:
    explicit EmojiPicker(QWidget *parent = nullptr);

    // Opens above `anchor` (the composer's emoji button), search box focused.
    void popup(QWidget *anchor);
    QLineEdit *searchEdit() const { return m_search; }
    QTabBar *categories() const { return m_tabs; }
    QListWidget *grid() const { return m_grid; }
    QStringList shownEmoji() const;
    void retranslate();

Q_SIGNALS:
    void picked(const QString &emoji);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showEmoji(const QList<Emoji> &emoji);
    void refresh();

    QLineEdit *m_search;
    QTabBar *m_tabs;
    QListWidget *m_grid;
};

} // namespace atende::app::console
