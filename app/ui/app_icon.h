#pragma once
#include <QIcon>

namespace atende::app::ui {
// The Atende icon (resources/icons): the SVG when Qt can render SVG here, plus PNG renditions of
// it at the usual sizes, so it also shows on systems without the Qt SVG plugins.
QIcon appIcon();
} // namespace atende::app::ui
