//! Export files as store systems write them, made by the tests themselves. Shared by the native
//! import tests and `examples/write_fixtures.rs` (which writes them for the browser tests).
#![allow(dead_code)]

/// Text in GBK, as most Chinese POS systems export it.
pub fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

/// A transactions export: a title row, full-width ids, Chinese dates, money with ￥ and
/// brackets, refunds (退货), a top-up (储值充值), a walk-in row, a bad date (row 8), a bad
/// amount (row 9) and an order number reused for another member (row 10).
pub const GBK_SALES: &str = "丽颜美容 消费流水导出\r\n\
会员卡号,消费时间,应收金额,实收金额,项目,门店,单号,类型\r\n\
８８００１,2024年3月5日 14:22,\"1,380.00\",\"￥1,280.00\",面霜,静安店,NO1,消费\r\n\
88001,2024/3/5,100,100,面膜,静安店,NO1,消费\r\n\
,2024-03-06,35,35,面膜,徐汇店,NO2,消费\r\n\
00123,20240307,99,(99.00),洁面,徐汇店,NO3,退货\r\n\
88002,2024-03-08,500,500,,徐汇店,NO4,储值充值\r\n\
88003,昨天,10,10,洁面,静安店,NO5,消费\r\n\
88004,2024-03-09,10,abc,洁面,静安店,NO6,消费\r\n\
88005,2024-03-10,50,50,洁面,静安店,NO1,消费\r\n";

/// A members workbook: a title row above the header, a sheet of notes, a duplicate id (row 6)
/// and an unreadable expiry (row 4).
pub fn members_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet().set_name("会员资料").unwrap();
    ws.write_string(0, 0, "会员档案（导出于 2024-12-31）").unwrap();
    let header = ["会员卡号", "姓名", "手机号", "性别", "生日", "开卡日期", "会员等级", "可用积分", "储值余额", "所属门店", "到期日"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, &str, (u16, u8, u8), &str, f64, f64); 4] = [
        ("00123", "王静", "13800000001", "女", (1990, 5, 17), "金卡", 1280.0, 500.0),
        ("88001", "李强", "13900000002", "男", (1985, 1, 2), "普通会员", 0.0, 0.0),
        ("88002", "张敏", "13700000003", "女", (1995, 12, 30), "银卡", 35.0, 1000.5),
        ("00123", "重复", "", "", (2000, 1, 1), "", 0.0, 0.0),
    ];
    for (i, (id, name, phone, gender, (y, m, d), tier, points, balance)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *phone).unwrap();
        ws.write_string(r, 3, *gender).unwrap();
        ws.write_datetime_with_format(r, 4, &ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date_fmt).unwrap();
        ws.write_string(r, 5, "2023-06-01").unwrap();
        ws.write_string(r, 6, *tier).unwrap();
        ws.write_number(r, 7, *points).unwrap();
        ws.write_number(r, 8, *balance).unwrap();
        ws.write_string(r, 9, "静安店").unwrap();
        ws.write_string(r, 10, if i == 1 { "not a date" } else { "2025-06-01" }).unwrap();
    }
    wb.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "本表由系统导出").unwrap();
    wb.save_to_buffer().unwrap()
}

