#include "app/ui/status_dot.h"

#include <QPainter>

namespace atende::app::ui {

StatusDot::StatusDot(int diameter, QWidget *parent)
    : QWidget(parent)
    , m_diameter(diameter)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAttribute(Qt::WA_TranslucentBackground);
}

void StatusDot::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    update();
}

QSize StatusDot::sizeHint() const
{
    const int halo = m_diameter / 2; // room for the halo around the dot
    return {m_diameter + halo, m_diameter + halo};
}

void StatusDot::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QPointF centre = area.center();

    QColor halo = m_color;
    halo.setAlphaF(0.22f);
    painter.setBrush(halo);
    const qreal outer = std::min(area.width(), area.height()) / 2.0;
    painter.drawEllipse(centre, outer, outer);

    painter.setBrush(m_color);
    const qreal inner = m_diameter / 2.0;
    painter.drawEllipse(centre, inner, inner);
}

} // namespace atende::app::ui
