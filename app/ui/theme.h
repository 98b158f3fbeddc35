#pragma once
// Colours and the style sheet of the desktop app, in the spirit of WhatsApp Web: a calm grey
// background, white (or slate, in the dark) surfaces, one teal accent.
//
// "System" follows the platform palette. QStyleHints::colorScheme() only exists from Qt 6.5, so dark
// mode is recognised by the lightness of the palette's window colour.

#include "app/ui/connection_status.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace atende::app::ui {

enum class ThemeMode { System, Light, Dark };

struct Theme {
    bool dark = false;
    QColor window;  // page background
    QColor surface; // cards, status bar
    QColor header;  // top bar
    QColor headerText;
    QColor headerMuted;
    QColor text;
    QColor mutedText;
    QColor border;
    QColor accent;
    QColor accentHover;
    QColor accentText;
    QColor connected;
    QColor connecting;
    QColor degraded;
    QColor unreachable;

    static Theme light();
    static Theme darkTheme();
    static bool isDarkPalette(const QPalette &palette);
    static Theme resolve(ThemeMode mode, const QPalette &systemPalette);
    // "system", "light", "dark" (anything else: System).
    static ThemeMode modeFromName(const QString &name);

    QColor stateColor(ConnectionState state) const;
    QPalette palette() const;
    QString styleSheet() const;
};

} // namespace atende::app::ui
