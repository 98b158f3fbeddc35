#pragma once
// The console's colours (bubbles, badges) and style sheet, derived from the app's ui::Theme so that light
// and dark follow the same switch.

#include "app/ui/theme.h"

namespace atende::app::console {

struct ConsoleColors {
    QColor chatBackground;
    QColor inbound;
    QColor outbound;
    QColor note;
    QColor system;
    QColor bubbleText;
    QColor muted;
    QColor tickRead;
    QColor failed;
    QColor badge;
    QColor badgeText;
    QColor selection;
    QColor separator;

    static ConsoleColors from(const ui::Theme &theme);
};

QString consoleStyleSheet(const ui::Theme &theme);

} // namespace atende::app::console
