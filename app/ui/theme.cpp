#include "app/ui/theme.h"

namespace atende::app::ui {

namespace {
QString css(const QColor &c)
{
    if (c.alpha() == 255)
        return c.name(QColor::HexRgb);
    return QStringLiteral("rgba(%1, %2, %3, %4)").arg(c.red()).arg(c.green()).arg(c.blue()).arg(c.alpha());
}
} // namespace

Theme Theme::light()
{
    Theme t;
    t.dark = false;
    t.window = QColor(0xf0, 0xf2, 0xf5);
    t.surface = QColor(0xff, 0xff, 0xff);
    t.header = QColor(0xff, 0xff, 0xff);
    t.headerText = QColor(0x11, 0x1b, 0x21);
    t.headerMuted = QColor(0x66, 0x77, 0x81);
    t.text = QColor(0x11, 0x1b, 0x21);
    t.mutedText = QColor(0x66, 0x77, 0x81);
    t.border = QColor(0xe1, 0xe5, 0xe8);
    t.accent = QColor(0x00, 0x80, 0x69);
    t.accentHover = QColor(0x00, 0x6b, 0x58);
    t.accentText = QColor(0xff, 0xff, 0xff);
    t.connected = QColor(0x1d, 0xb9, 0x54);
    t.connecting = QColor(0x2f, 0x9b, 0xd6);
    t.degraded = QColor(0xe8, 0x9a, 0x0c);
    t.unreachable = QColor(0xe0, 0x24, 0x3a);
    return t;
}

Theme Theme::darkTheme()
{
    Theme t;
    t.dark = true;
    t.window = QColor(0x0b, 0x14, 0x1a);
    t.surface = QColor(0x1f, 0x2c, 0x34);
    t.header = QColor(0x20, 0x2c, 0x33);
    t.headerText = QColor(0xe9, 0xed, 0xef);
    t.headerMuted = QColor(0x8d, 0x9d, 0xa6);
    t.text = QColor(0xe9, 0xed, 0xef);
    t.mutedText = QColor(0x8d, 0x9d, 0xa6);
    t.border = QColor(0x2f, 0x3d, 0x46);
    t.accent = QColor(0x00, 0xa8, 0x84);
    t.accentHover = QColor(0x06, 0xcf, 0x9c);
    t.accentText = QColor(0x11, 0x1b, 0x21);
    t.connected = QColor(0x25, 0xd3, 0x66);
    t.connecting = QColor(0x53, 0xbd, 0xeb);
    t.degraded = QColor(0xf7, 0xb9, 0x4b);
    t.unreachable = QColor(0xf1, 0x5c, 0x6d);
    return t;
}

bool Theme::isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Active, QPalette::Window).lightness() < 128;
}

Theme Theme::resolve(ThemeMode mode, const QPalette &systemPalette)
{
    switch (mode) {
    case ThemeMode::Light: return light();
    case ThemeMode::Dark: return darkTheme();
    case ThemeMode::System: break;
    }
    return isDarkPalette(systemPalette) ? darkTheme() : light();
}

ThemeMode Theme::modeFromName(const QString &name)
{
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return ThemeMode::Light;
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return ThemeMode::Dark;
    return ThemeMode::System;
}

QColor Theme::stateColor(ConnectionState state) const
{
    switch (state) {
    case ConnectionState::Connected: return connected;
    case ConnectionState::Degraded: return degraded;
    case ConnectionState::Unreachable: return unreachable;
    case ConnectionState::Connecting: break;
    }
    return connecting;
}

QPalette Theme::palette() const
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, surface);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, mutedText);
    p.setColor(QPalette::Button, surface);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, accentText);
    p.setColor(QPalette::ToolTipBase, surface);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Disabled, QPalette::Text, mutedText);
    p.setColor(QPalette::Disabled, QPalette::WindowText, mutedText);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, mutedText);
    return p;
}

QString Theme::styleSheet() const
{
    // Object names and the "role" property are set by the widgets (header_bar.cpp, connection_card.cpp,
    // main_window.cpp); keep the two in step.
    QString s = QStringLiteral(R"(
QWidget#appRoot, QWidget#connectionPage { background: @window; }
QWidget#appRoot QLabel { color: @text; font-size: 14px; }
QFrame#headerBar { background: @header; border: none; border-bottom: 1px solid @border; }
QFrame#headerBar QLabel#headerTitle { color: @headerText; font-size: 19px; font-weight: 600; }
QFrame#headerBar QLabel#headerSubtitle { color: @headerMuted; font-size: 13px; }
QFrame#serverPill { background: @window; border: 1px solid @border; border-radius: 15px; }
QFrame#serverPill QLabel#headerServerLabel { color: @headerText; font-size: 13px; }
QFrame#connectionCard { background: @surface; border: 1px solid @border; border-radius: 16px; }
QFrame#connectionCard QLabel#connectionTitleLabel { font-size: 22px; font-weight: 600; }
QFrame#connectionCard QLabel#connectionSubtitleLabel { color: @muted; font-size: 14px; }
QFrame#connectionCard QLabel[role="fieldName"] { color: @muted; }
QFrame#connectionCard QLabel[role="fieldValue"] { color: @text; }
QFrame#connectionCard QLabel[role="muted"] { color: @muted; font-size: 13px; }
QFrame#cardSeparator { background: @border; border: none; min-height: 1px; max-height: 1px; }
QPushButton#retryButton { background: @accent; color: @accentText; border: none; border-radius: 8px;
                          padding: 8px 20px; font-size: 14px; font-weight: 600; }
QPushButton#retryButton:hover { background: @accentHover; }
QPushButton#retryButton:pressed { background: @accent; }
QPushButton#retryButton:focus { outline: none; }
QStatusBar { background: @surface; border-top: 1px solid @border; }
QStatusBar::item { border: none; }
QStatusBar QLabel { color: @muted; font-size: 12px; padding: 2px 4px; }
QStatusBar QLabel#statusVersionLabel { padding-right: 12px; }
QFrame#connectionCard QLabel#lastErrorTimeValue { color: @muted; font-size: 12px; }
)");
    const std::pair<const char *, QColor> colours[] = {
        {"@window", window},
        {"@headerText", headerText},
        {"@headerMuted", headerMuted},
        {"@header", header},
        {"@surface", surface},
        {"@border", border},
        {"@text", text},
        {"@muted", mutedText},
        {"@accentHover", accentHover},
        {"@accentText", accentText},
        {"@accent", accent},
    };
    // Longer names first where one is a prefix of another (@headerText before @header, ...).
    for (const auto &[name, colour] : colours)
        s.replace(QLatin1String(name), css(colour));
    return s;
}

} // namespace atende::app::ui
