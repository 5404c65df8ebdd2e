//! Demo data for a first start: users of every role, a route's customers
//! and a distributor's products.
use super::{catalog, users, ServiceResult};
use crate::db::Db;
use crate::store;
use ruta_shared::auth::Role;
use ruta_shared::catalog::{CustomerInput, ProductInput};

pub const DEMO_PASSWORD: &str = "ruta2026";

pub const DEMO_USERS: &[(&str, Role, Option<&str>)] = &[
    ("admin", Role::Admin, None),
    ("despacho", Role::Dispatcher, None),
    ("ana", Role::Seller, Some("ID1")),
    ("beto", Role::Seller, Some("ID2")),
    ("carla", Role::Seller, Some("ID3")),
];

const CUSTOMERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Rosa Martínez",
        "Tienda Doña Rosa",
        "300 412 5567",
        "Cra 12 # 45-10",
        "Norte",
    ),
    (
        "Luis Gómez",
        "Minimercado El Progreso",
        "311 208 9931",
        "Cl 80 # 20-33",
        "Norte",
    ),
    (
        "Carmen Ruiz",
        "Panadería La Espiga",
        "315 774 1200",
        "Av 68 # 12-04",
        "Norte",
    ),
    (
        "Jorge Pérez",
        "Autoservicio Don Jorge",
        "320 555 0192",
        "Cl 45 # 7-21",
        "Norte",
    ),
    (
        "Marta Díaz",
        "Tienda La Esquina",
        "301 998 4410",
        "Cra 30 # 19-88",
        "Norte",
    ),
    (
        "Pedro Castro",
        "Cigarrería El Parque",
        "312 640 7785",
        "Cl 53 # 14-02",
        "Centro",
    ),
    (
        "Ana Lucía Vargas",
        "Miscelánea San José",
        "317 303 2214",
        "Cra 7 # 60-15",
        "Centro",
    ),
    (
        "Hernán Ospina",
        "Supermercado La Economía",
        "318 221 6000",
        "Cl 26 # 30-41",
        "Centro",
    ),
    (
        "Gloria Rincón",
        "Tienda Mi Barrio",
        "305 414 8812",
        "Cra 50 # 8-70",
        "Centro",
    ),
    (
        "Fabio Moreno",
        "Cafetería El Buen Sabor",
        "310 850 3321",
        "Cl 19 # 4-55",
        "Centro",
    ),
    (
        "Diana Herrera",
        "Frutería Los Andes",
        "314 777 1908",
        "Av Boyacá # 70-12",
        "Sur",
    ),
    (
        "Óscar Jiménez",
        "Droguería y Variedades Óscar",
        "300 990 2233",
        "Cl 1 # 24-36",
        "Sur",
    ),
    (
        "Patricia León",
        "Tienda Patty",
        "316 442 0987",
        "Cra 68 # 40-09",
        "Sur",
    ),
    (
        "Ricardo Suárez",
        "Granero El Campesino",
        "321 600 4455",
        "Cl 38 sur # 72-10",
        "Sur",
    ),
    (
        "Yolanda Pardo",
        "Panadería Pan de Oro",
        "313 118 7766",
        "Cra 86 # 42-18",
        "Sur",
    ),
    (
        "Camilo Rojas",
        "Licorera y Tienda Camilo",
        "319 250 6631",
        "Cl 63 # 101-20",
        "Occidente",
    ),
    (
        "Sandra Quintero",
        "Mercados Sandra",
        "302 387 5549",
        "Cra 104 # 75-33",
        "Occidente",
    ),
    (
        "Nelson Beltrán",
        "Tienda El Triunfo",
        "300 120 4488",
        "Cl 80 # 112-05",
        "Occidente",
    ),
    (
        "Liliana Cárdenas",
        "Surtidora La Mejor",
        "315 902 3310",
        "Av Cali # 22-61",
        "Occidente",
    ),
    (
        "Mauricio Torres",
        "Estanco y Tienda El Paisa",
        "311 733 2290",
        "Cra 91 # 65-44",
        "Occidente",
    ),
];

/// (sku, name, price, VAT %)
const PRODUCTS: &[(&str, &str, &str, &str)] = &[
    ("ARE-10", "Arepa de maíz x10", "4500", "0"),
    ("ARE-QS-5", "Arepa de queso x5", "6800", "5"),
    ("PAN-TAJ", "Pan tajado familiar", "6200", "5"),
    ("PAN-PER", "Pan perro x8", "5400", "5"),
    ("PAN-HAM", "Pan hamburguesa x6", "5900", "5"),
    ("PAN-BLA", "Pan blandito x10", "4300", "5"),
    ("PAN-INT", "Pan integral", "7100", "5"),
    ("TOS-CAL", "Tostadas calados x12", "3900", "19"),
    ("ALM-5", "Almojábanas x5", "6500", "5"),
    ("PAN-YUC", "Pandeyucas x6", "5200", "5"),
    ("BUN-6", "Buñuelos x6", "6000", "5"),
    ("ROS-CAN", "Roscón de guayaba", "2800", "19"),
    ("MOG-ANI", "Mogolla chicharrona x4", "4200", "5"),
    ("TOR-MAI", "Tortillas de maíz x10", "5600", "5"),
    ("PAP-NAT", "Papas fritas naturales 110 g", "3500", "19"),
    ("PAP-LIM", "Papas fritas limón 110 g", "3500", "19"),
    ("PLA-VER", "Platanitos verdes 85 g", "2600", "19"),
    ("CHI-CER", "Chicharrón de cerdo 60 g", "4100", "19"),
    ("MAN-SAL", "Maní salado 200 g", "5300", "19"),
    ("ROS-MAI", "Rosquitas de maíz 45 g", "1800", "19"),
    ("GAL-SOD", "Galletas de soda x6", "3200", "19"),
    ("GAL-AVE", "Galletas de avena x12", "4900", "19"),
    ("BRO-CHO", "Brownie de chocolate", "2500", "19"),
    ("PON-QUE", "Ponqué tradicional 250 g", "6700", "19"),
    ("GAS-COL", "Gaseosa cola 400 ml", "2900", "19"),
    ("AGU-600", "Agua sin gas 600 ml", "1900", "0"),
    ("JUG-NAR", "Jugo de naranja 300 ml", "2700", "19"),
    ("LEC-ENT", "Leche entera 1 L", "4600", "0"),
    ("YOG-FRE", "Yogur de fresa 200 g", "2300", "19"),
    ("QUE-CAM", "Queso campesino 250 g", "8900", "0"),
];

/// Loads the demo data into an empty database; `false` if it had users.
pub async fn load(db: &Db) -> ServiceResult<bool> {
    if store::users::count(db.read()).await? > 0 {
        return Ok(false);
    }
    let loader = super::Actor::system("ruta-demo");
    for (username, role, code) in DEMO_USERS {
        users::create(
            db,
            &loader,
            users::NewUser {
                username: (*username).into(),
                password: DEMO_PASSWORD.into(),
                role: *role,
                seller_code: code.map(str::to_owned),
            },
        )
        .await?;
    }
    for (name, business, phone, address, route) in CUSTOMERS {
        let input = CustomerInput {
            name: (*name).into(),
            business_name: Some((*business).into()),
            phone: Some((*phone).into()),
            address: Some((*address).into()),
            route: Some((*route).into()),
            active: Some(true),
            version: None,
            edited_at: None,
        };
        catalog::create_customer(db, &loader, &input).await?;
    }
    for (sku, name, price, tax) in PRODUCTS {
        let input = ProductInput {
            sku: (*sku).into(),
            name: (*name).into(),
            unit_price: price
                .parse()
                .map_err(|e| super::ServiceError::Internal(format!("{e}")))?,
            tax_percentage: tax
                .parse()
                .map_err(|e| super::ServiceError::Internal(format!("{e}")))?,
            active: Some(true),
            version: None,
            edited_at: None,
        };
        catalog::create_product(db, &loader, &input).await?;
    }
    Ok(true)
}
