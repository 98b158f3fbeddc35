#include "app/ui/app_icon.h"

#include <QImageReader>

namespace atende::app::ui {

QIcon appIcon()
{
    QIcon icon;
    if (QImageReader::supportedImageFormats().contains("svg"))
        icon.addFile(QStringLiteral(":/icons/atende.svg"));
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/atende-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace atende::app::ui
