//! Every text but the admin dashboard's (`admin.rs`): the seller's pages,
//! the dispatcher's, login and errors, in every bundle.
/// (key, Spanish, English)
pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    (
        "app.tagline",
        "Ventas en ruta, con o sin señal",
        "Route sales, with or without signal",
    ),
    ("login.title", "Iniciar sesión", "Sign in"),
    ("login.username", "Usuario", "Username"),
    ("login.password", "Contraseña", "Password"),
    ("login.submit", "Iniciar sesión", "Sign in"),
    ("login.working", "Ingresando…", "Signing in…"),
    (
        "login.bad_credentials",
        "Usuario o contraseña incorrectos",
        "Wrong username or password",
    ),
    (
        "login.throttled",
        "Demasiados intentos. Espere unos minutos.",
        "Too many attempts. Wait a few minutes.",
    ),
    (
        "login.offline",
        "Sin conexión con el servidor. Intente de nuevo.",
        "Cannot reach the server. Try again.",
    ),
    ("home.hello", "Hola", "Hello"),
    ("home.logout", "Cerrar sesión", "Sign out"),
    ("home.role", "Rol", "Role"),
    ("home.seller_code", "Código de vendedor", "Seller code"),
    ("role.seller", "Vendedor", "Seller"),
    ("role.dispatcher", "Despachador", "Dispatcher"),
    ("role.admin", "Administrador", "Administrator"),
    ("lang.switch", "English", "Español"),
    ("notfound.title", "Página no encontrada", "Page not found"),
    ("notfound.back", "Volver al inicio", "Back to start"),
    ("home.cargue", "Cargue de camiones", "Truck loading"),
    ("home.my_cargue", "Mi cargue", "My truck load"),
    ("cargue.title", "Cargue", "Truck loading"),
    ("cargue.mine", "Mi cargue", "My truck load"),
    ("cargue.product", "Producto", "Product"),
    ("cargue.quantity", "Cantidad", "Quantity"),
    (
        "cargue.v_hint",
        "V: verificado por el vendedor",
        "V: checked by the seller",
    ),
    (
        "cargue.d_hint",
        "D: verificado por el despachador",
        "D: checked by the dispatcher",
    ),
    (
        "cargue.progress",
        "Líneas verificadas (V y D)",
        "Lines fully checked (V and D)",
    ),
    ("cargue.date", "Fecha", "Date"),
    (
        "cargue.empty",
        "Sin líneas planeadas para este día.",
        "No lines planned for this day.",
    ),
    ("cargue.closed", "Turno cerrado", "Shift closed"),
    ("cargue.close", "Cerrar turno", "Close shift"),
    (
        "cargue.close_confirm",
        "¿Cerrar el turno? Después no se podrá cambiar ninguna marca.",
        "Close the shift? No check can change afterwards.",
    ),
    (
        "cargue.close_yes",
        "Sí, cerrar turno",
        "Yes, close the shift",
    ),
    ("cargue.cancel", "Cancelar", "Cancel"),
    ("cargue.plan", "Planear líneas", "Plan lines"),
    ("cargue.plan_save", "Guardar plan", "Save plan"),
    ("cargue.plan_add", "Agregar línea", "Add line"),
    ("cargue.plan_saved", "Plan guardado", "Plan saved"),
    ("cargue.remove", "Quitar", "Remove"),
    ("cargue.unchecked", "sin verificar", "unchecked"),
    ("cargue.unsent", "marcas sin enviar", "checks not sent"),
    ("cargue.unsent_one", "marca sin enviar", "check not sent"),
    ("cargue.not_sent", "Sin enviar", "Not sent"),
    (
        "cargue.no_sellers",
        "No hay vendedores registrados.",
        "No sellers yet.",
    ),
    ("cargue.loading", "Cargando…", "Loading…"),
    (
        "cargue.mine_hint",
        "Marque V en cada línea que revisó en el camión.",
        "Tick V on each line you checked on the truck.",
    ),
    ("live.live", "En vivo", "Live"),
    ("live.connecting", "Conectando…", "Connecting…"),
    ("live.offline", "Sin conexión", "Offline"),
    (
        "access.forbidden",
        "No tiene permiso para ver esta página",
        "You are not allowed to see this page",
    ),
    (
        "access.forbidden_hint",
        "Esta página es para otro rol. Vuelva al inicio.",
        "This page is for another role. Go back to the start.",
    ),
    (
        "error.offline",
        "Sin conexión con el servidor.",
        "Cannot reach the server.",
    ),
    ("error.forbidden", "No permitido.", "Not allowed."),
    ("error.not_found", "No encontrado.", "Not found."),
    (
        "error.session",
        "Su sesión venció: inicie sesión de nuevo.",
        "Your session has expired: sign in again.",
    ),
    (
        "error.throttled",
        "Demasiadas solicitudes; espere un momento.",
        "Too many requests; wait a moment.",
    ),
    (
        "pwa.update_ready",
        "Nueva versión disponible",
        "New version available",
    ),
    ("pwa.update", "Actualizar", "Update"),
    ("sync.title", "Sincronización", "Sync"),
    ("sync.online", "En línea", "Online"),
    ("sync.last", "Última sincronización", "Last sync"),
    ("sync.never", "nunca", "never"),
    ("sync.now", "Sincronizar ahora", "Sync now"),
    (
        "sync.offline_hint",
        "Sin señal: las ventas quedan guardadas en el teléfono y se enviarán solas.",
        "No signal: sales stay saved on the phone and will be sent on their own.",
    ),
    (
        "sync.waiting",
        "El servidor no respondió; se reintentará en breve.",
        "The server did not answer; retrying shortly.",
    ),
    (
        "sync.storage_error",
        "No se pudo leer el almacenamiento del teléfono.",
        "Could not read the phone's storage.",
    ),
    ("sales.title", "Mis ventas", "My sales"),
    ("sales.new", "Nueva venta", "New sale"),
    (
        "sales.empty",
        "Todavía no hay ventas en este teléfono.",
        "No sales on this phone yet.",
    ),
    ("sales.pending", "Pendiente", "Pending"),
    ("sales.error", "Error", "Error"),
    ("sales.conflict", "Conflicto", "Conflict"),
    ("sales.draft", "Borrador", "Draft"),
    ("sales.retry", "Reintentar", "Retry"),
    ("sales.edit", "Editar", "Edit"),
    ("sales.resolve", "Resolver conflicto", "Resolve conflict"),
    ("sale.title", "Nueva venta", "New sale"),
    ("sale.edit_title", "Editar venta", "Edit sale"),
    ("sale.customer", "Cliente", "Customer"),
    (
        "sale.customer_search",
        "Buscar cliente por nombre o dirección",
        "Search customer by name or address",
    ),
    ("sale.new_customer", "+ Cliente nuevo", "+ New customer"),
    ("sale.change", "Cambiar", "Change"),
    ("sale.add_product", "Agregar producto", "Add product"),
    (
        "sale.product_search",
        "Buscar producto por nombre o código",
        "Search product by name or code",
    ),
    ("sale.quantity", "Cantidad", "Quantity"),
    ("sale.unit_price", "Precio", "Price"),
    ("sale.discount", "Descuento", "Discount"),
    ("sale.discount_none", "Sin descuento", "No discount"),
    ("sale.discount_value", "Valor desc.", "Disc. value"),
    ("sale.tax", "IVA %", "Tax %"),
    ("sale.line_total", "Total línea", "Line total"),
    (
        "sale.returns",
        "Devoluciones (vencidos)",
        "Returns (expired goods)",
    ),
    ("sale.add_return", "Producto devuelto", "Returned product"),
    ("sale.reason", "Motivo", "Reason"),
    ("sale.payment", "Forma de pago", "Payment method"),
    ("pay.cash", "Efectivo", "Cash"),
    ("status.draft", "Borrador", "Draft"),
    ("status.confirmed", "Confirmada", "Confirmed"),
    ("status.cancelled", "Anulada", "Cancelled"),
    ("pay.transfer", "Transferencia", "Transfer"),
    ("pay.card", "Tarjeta", "Card"),
    ("pay.credit", "Crédito", "Credit"),
    ("sale.notes", "Notas", "Notes"),
    (
        "sale.as_draft",
        "Guardar como borrador (se puede editar después)",
        "Save as draft (can be edited later)",
    ),
    ("sale.subtotal", "Subtotal", "Subtotal"),
    ("sale.discounts", "Descuentos", "Discounts"),
    ("sale.taxes", "Impuestos", "Taxes"),
    ("sale.total", "Total", "Total"),
    ("sale.save", "Guardar venta", "Save sale"),
    ("customer.name", "Nombre", "Name"),
    ("customer.business_name", "Razón social", "Business name"),
    ("customer.phone", "Teléfono", "Phone"),
    ("customer.address", "Dirección", "Address"),
    ("customer.save", "Agregar cliente", "Add customer"),
    ("customer.local", "Nuevo, sin enviar", "New, not sent"),
    (
        "storage.title",
        "Datos en este teléfono",
        "Data on this phone",
    ),
    (
        "storage.export",
        "Exportar ventas sin sincronizar",
        "Export unsynced sales",
    ),
    ("conflict.title", "Conflicto", "Conflict"),
    (
        "conflict.explain",
        "Esta venta cambió en el servidor mientras la editaba sin señal. Elija qué copia queda.",
        "This sale changed on the server while you edited it offline. Choose which copy stays.",
    ),
    ("conflict.mine", "Mía", "Mine"),
    ("conflict.server", "Servidor", "Server"),
    ("conflict.status", "Estado", "Status"),
    ("conflict.items", "Productos", "Products"),
    ("conflict.keep_mine", "Conservar la mía", "Keep mine"),
    (
        "conflict.take_server",
        "Tomar la del servidor",
        "Take the server's",
    ),
    ("conflict.merge", "Combinar", "Merge"),
    (
        "conflict.none",
        "Esta venta ya no tiene conflicto.",
        "This sale has no conflict any more.",
    ),
    ("home.sales", "Mis ventas", "My sales"),
    ("home.admin", "Panel de administración", "Admin dashboard"),
    (
        "home.logout_anyway",
        "Cerrar sesión igual",
        "Sign out anyway",
    ),
    ("day.title", "Mi día", "My day"),
    // The end-of-day pages' texts (pages/day/) hydrate with the office
    // bundle only, so the phone's bundle leaves them out (docs/wasm-size.md).
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.device", "Teléfono", "Phone"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.unnamed", "sin nombre", "unnamed"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.unsynced", "sin sincronizar", "unsynced"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.all_synced", "Todo sincronizado", "All synced"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.sales", "Ventas de hoy", "Today's sales"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "day.no_sales",
        "Aún no hay ventas de hoy en este teléfono.",
        "No sales today on this phone yet.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.voided", "Anuladas", "Voided"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.goods", "Qué debe volver", "What must go back"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "day.goods_hint",
        "Debe quedar = cargado − vendido. Los vencidos recogidos vuelven aparte.",
        "Should be left = loaded − sold. Expired goods picked up come back on top.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "day.no_sheet",
        "Este teléfono no tiene el cargue de hoy: sin lo cargado.",
        "This phone has no truck load for today: nothing loaded shown.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.receipt", "Recibo", "Receipt"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("day.count", "ventas", "sales"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.title", "Recibo", "Receipt"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.not_found",
        "Esta venta no está en este teléfono.",
        "This sale is not on this phone.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.pending", "pendiente", "pending"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.tax_id", "NIT", "Tax ID"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.no_business",
        "Datos del negocio aún no descargados",
        "Business details not downloaded yet",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.number", "Venta", "Sale"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.date", "Fecha", "Date"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.voided", "ANULADA", "VOIDED"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.share", "Compartir", "Share"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.print", "Imprimir", "Print"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.paper", "Papel", "Paper"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.downloaded",
        "El recibo se descargó como imagen.",
        "The receipt was downloaded as an image.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.void", "Anular venta", "Void sale"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.void_reason",
        "Motivo de la anulación",
        "Reason for voiding",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.void_confirm", "Anular", "Void"),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.void_required",
        "Escriba el motivo para anular.",
        "Write the reason to void.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.void_not_saved",
        "No se pudo guardar la anulación en este teléfono. Intente de nuevo.",
        "The void could not be saved on this phone. Try again.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    (
        "receipt.void_queued",
        "Anulación guardada: se envía al sincronizar.",
        "Void saved: it is sent on the next sync.",
    ),
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    ("receipt.draft", "BORRADOR", "DRAFT"),
];
