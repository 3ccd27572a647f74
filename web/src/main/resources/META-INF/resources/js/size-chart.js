// The segment page's size chart: Chart.js draws the axes, ticks and tooltips; this file only maps the server's
// series (SizeChart.seriesJson) onto datasets. Size on the left axis; entered (up) and exited (down) on their own
// right axis, so a run that moved 3 members is visible next to a size of 100,000; definition edits as dashed lines.
(function () {
    'use strict';

    const canvas = document.getElementById('size-chart');
    if (!canvas || typeof Chart === 'undefined') {
        return;
    }
    const series = JSON.parse(canvas.dataset.series);
    const number = new Intl.NumberFormat();

    // Chart.js has no vertical-marker dataset; a tiny plugin draws one dashed line per edited run.
    const editMarkers = {
        id: 'editMarkers',
        afterDatasetsDraw(chart) {
            const x = chart.scales.x;
            const area = chart.chartArea;
            const ctx = chart.ctx;
            ctx.save();
            ctx.strokeStyle = '#8a6d00';
            ctx.setLineDash([4, 4]);
            series.edited.forEach((edited, i) => {
                if (!edited) {
                    return;
                }
                const px = x.getPixelForValue(i);
                ctx.beginPath();
                ctx.moveTo(px, area.top);
                ctx.lineTo(px, area.bottom);
                ctx.stroke();
            });
            ctx.restore();
        }
    };

    canvas.chart = new Chart(canvas, {
        data: {
            labels: series.labels,
            datasets: [
                {type: 'line', label: 'Size', data: series.size, yAxisID: 'size', borderColor: '#2456c7',
                    backgroundColor: '#2456c7', pointRadius: series.size.length > 40 ? 0 : 2, tension: 0, order: 0},
                {type: 'bar', label: 'Entered', data: series.entered, yAxisID: 'moves', backgroundColor: '#6cbf84', order: 1},
                {type: 'bar', label: 'Exited', data: series.exited.map(v => -v), yAxisID: 'moves', backgroundColor: '#e08a80', order: 1}
            ]
        },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            interaction: {mode: 'index', intersect: false},
            scales: {
                x: {title: {display: true, text: 'Computed (UTC)'}, ticks: {autoSkip: true, maxTicksLimit: 10, maxRotation: 0}},
                size: {type: 'linear', position: 'left', beginAtZero: true, title: {display: true, text: 'Members'},
                    ticks: {precision: 0, callback: v => number.format(v)}},
                moves: {type: 'linear', position: 'right', grid: {drawOnChartArea: false},
                    title: {display: true, text: 'Entered / exited'}, ticks: {precision: 0, callback: v => number.format(Math.abs(v))}}
            },
            plugins: {
                legend: {position: 'bottom'},
                tooltip: {
                    callbacks: {
                        title: items => series.at[items[0].dataIndex],
                        label: item => item.dataset.label + ': ' + number.format(Math.abs(item.raw)),
                        footer: items => {
                            const i = items[0].dataIndex;
                            return 'version ' + series.version[i] + (series.edited[i] ? ' (definition edited)' : '');
                        }
                    }
                }
            }
        },
        plugins: [editMarkers]
    });
}());
