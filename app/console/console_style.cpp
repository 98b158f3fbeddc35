#include "app/console/console_style.h"

namespace atende::app::console {

ConsoleColors ConsoleColors::from(const ui::Theme &theme)
{
    ConsoleColors c;
    if (theme.dark) {
        c.chatBackground = QColor(0x0b, 0x14, 0x1a);
        c.inbound = QColor(0x20, 0x2c, 0x33);
        c.outbound = QColor(0x00, 0x5c, 0x4b);
        c.note = QColor(0x4a, 0x40, 0x1a);
        c.system = QColor(0x18, 0x22, 0x29);
        c.bubbleText = QColor(0xe9, 0xed, 0xef);
        c.muted = QColor(0x8d, 0x9d, 0xa6);
        c.tickRead = QColor(0x53, 0xbd, 0xeb);
        c.failed = QColor(0xf1, 0x5c, 0x6d);
        c.selection = QColor(0x2a, 0x39, 0x42);
        c.separator = QColor(0x22, 0x2e, 0x35);
    } else {
        c.chatBackground = QColor(0xef, 0xea, 0xe2);
        c.inbound = QColor(0xff, 0xff, 0xff);
        c.outbound = QColor(0xd9, 0xfd, 0xd3);
        c.note = QColor(0xff, 0xf3, 0xc4);
        c.system = QColor(0xe1, 0xf2, 0xfb);
        c.bubbleText = QColor(0x11, 0x1b, 0x21);
        c.muted = QColor(0x66, 0x77, 0x81);
        c.tickRead = QColor(0x34, 0x9d, 0xd8);
        c.failed = QColor(0xd3, 0x2f, 0x2f);
        c.selection = QColor(0xf0, 0xf2, 0xf5);
        c.separator = QColor(0xe9, 0xed, 0xef);
    }
    c.badge = theme.accent;
    c.badgeText = theme.dark ? QColor(0x11, 0x1b, 0x21) : QColor(0xff, 0xff, 0xff);
    return c;
}

QString consoleStyleSheet(const ui::Theme &t)
{
    QString s = QStringLiteral(R"(
QWidget#consoleRoot, QWidget#signInPage { background: @window; }
QWidget#ticketPanel, QWidget#detailsPanel { background: @surface; }
QFrame#panelHeader { background: @header; border-bottom: 1px solid @border; }
QFrame#panelHeader QLabel#panelTitle { color: @text; font-size: 15px; font-weight: 600; }
QFrame#panelHeader QLabel#panelSubtitle { color: @muted; font-size: 12px; }
QLabel { color: @text; }
QLabel[role="muted"] { color: @muted; }
QLabel[role="section"] { color: @accent; font-size: 12px; font-weight: 600; }
QLabel#typingLabel { color: @accent; font-style: italic; padding: 2px 12px; }
QFrame#banner { background: @unreachable; }
QFrame#banner QLabel { color: #ffffff; font-weight: 600; }
QFrame#notice { background: @degraded; }
QFrame#notice QLabel { color: #111b21; }
QLineEdit, QPlainTextEdit, QComboBox { background: @surface; color: @text; border: 1px solid @border;
    border-radius: 8px; padding: 6px 8px; selection-background-color: @accent; }
QLineEdit#searchBox { background: @window; border: none; border-radius: 8px; }
QPlainTextEdit#composer { border-radius: 10px; }
QPlainTextEdit#composer[noteMode="true"] { background: @note; }
QPushButton { background: @surface; color: @text; border: 1px solid @border; border-radius: 8px;
    padding: 6px 14px; }
QPushButton:hover { border-color: @accent; }
QPushButton[role="primary"] { background: @accent; color: @accentText; border: none; font-weight: 600; }
QPushButton[role="primary"]:hover { background: @accentHover; }
QPushButton:disabled { color: @muted; }
QToolButton { color: @text; border: none; padding: 4px; border-radius: 6px; }
QToolButton:hover { background: @window; }
QToolButton:checked { background: @note; }
QToolButton#filterButton { padding: 4px 6px; }
QToolButton#filterButton:checked { background: @window; }
QToolButton#filterButton[active="true"] { background: @note; }
QComboBox[role="filter"] { padding: 3px 4px 3px 8px; border-radius: 6px; }
QComboBox::drop-down { border: none; width: 18px; }
QComboBox::down-arrow { image: url(:/icons/chevron-down.png); width: 10px; height: 6px; }
QScrollBar:vertical { background: transparent; width: 10px; margin: 0; }
QScrollBar:horizontal { background: transparent; height: 10px; margin: 0; }
QScrollBar::handle { background: @border; border-radius: 4px; min-height: 24px; min-width: 24px; margin: 2px; }
QScrollBar::handle:hover { background: @muted; }
QScrollBar::add-line, QScrollBar::sub-line { width: 0; height: 0; }
QScrollBar::add-page, QScrollBar::sub-page { background: transparent; }
QComboBox QAbstractItemView { background: @surface; color: @text; border: 1px solid @border;
    selection-background-color: @accent; selection-color: @accentText; }
QMenu { background: @surface; color: @text; border: 1px solid @border; padding: 4px 0; }
QMenu::item { padding: 5px 24px 5px 20px; }
QMenu::item:selected { background: @window; }
QMenu::item:disabled { color: @muted; }
QMenu::separator { height: 1px; background: @border; margin: 4px 8px; }
QFrame#emojiPicker { background: @surface; border: 1px solid @border; border-radius: 10px; }
QListWidget#emojiGrid::item:selected { background: @window; border-radius: 6px; }
QFrame#quoteBar { background: @window; border-left: 3px solid @accent; border-radius: 4px; }
QFrame#quoteBar QLabel { color: @muted; }
QTabBar::tab { background: transparent; color: @muted; padding: 8px 10px; border: none;
    border-bottom: 2px solid transparent; }
QTabBar::tab:selected { color: @accent; border-bottom: 2px solid @accent; }
QListView { background: @surface; border: none; outline: none; }
QListView#conversationView { background: @chat; }
QListWidget { background: @surface; border: none; color: @text; }
QSplitter::handle { background: @border; }
QFrame#signInCard { background: @surface; border: 1px solid @border; border-radius: 16px; }
QLabel#signInTitle { font-size: 22px; font-weight: 600; }
QCheckBox { color: @text; }
)");
    const ConsoleColors c = ConsoleColors::from(t);
    const std::pair<const char *, QColor> colours[] = {
        {"@window", t.window},
        {"@surface", t.surface},
        {"@header", t.header},
        {"@border", t.border},
        {"@text", t.text},
        {"@muted", t.mutedText},
        {"@accentHover", t.accentHover},
        {"@accentText", t.accentText},
        {"@accent", t.accent},
        {"@unreachable", t.unreachable},
        {"@degraded", t.degraded},
        {"@note", c.note},
        {"@chat", c.chatBackground},
    };
    for (const auto &[name, colour] : colours)
        s.replace(QLatin1String(name), colour.name(QColor::HexRgb));
    return s;
}

} // namespace atende::app::console
