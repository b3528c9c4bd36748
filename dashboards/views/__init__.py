"""Leadership's pages, one module per capability: board (dashboard and drill-down), targets (staff
edit targets and plan periods), assessment (专项考核), bulletin (季度信息通报), showcase (典型宣传)."""
