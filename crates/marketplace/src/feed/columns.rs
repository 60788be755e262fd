//! The columns a feed may have (Google Shopping names, as Letzshop exports them) and the map
//! from a file's header to them.

use super::FeedError;

/// The columns the import understands. Any other column is kept, untouched, in the row's raw
/// JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    Title,
    Description,
    Link,
    ImageLink,
    AdditionalImageLink,
    Availability,
    Price,
    SalePrice,
    Brand,
    Gtin,
    Mpn,
    Condition,
    GoogleProductCategory,
    ProductType,
    ItemGroupId,
    Color,
    Size,
}

impl Column {
    const ALL: [Column; 18] = [
        Column::Id,
        Column::Title,
        Column::Description,
        Column::Link,
        Column::ImageLink,
        Column::AdditionalImageLink,
        Column::Availability,
        Column::Price,
        Column::SalePrice,
        Column::Brand,
        Column::Gtin,
        Column::Mpn,
        Column::Condition,
        Column::GoogleProductCategory,
        Column::ProductType,
        Column::ItemGroupId,
        Column::Color,
        Column::Size,
    ];

    /// The column's name in a feed (and in error reports).
    pub fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Title => "title",
            Column::Description => "description",
            Column::Link => "link",
            Column::ImageLink => "image_link",
            Column::AdditionalImageLink => "additional_image_link",
            Column::Availability => "availability",
            Column::Price => "price",
            Column::SalePrice => "sale_price",
            Column::Brand => "brand",
            Column::Gtin => "gtin",
            Column::Mpn => "mpn",
            Column::Condition => "condition",
            Column::GoogleProductCategory => "google_product_category",
            Column::ProductType => "product_type",
            Column::ItemGroupId => "item_group_id",
            Column::Color => "color",
            Column::Size => "size",
        }
    }

    /// The column a header cell names: case-insensitive, with or without the `g:` prefix,
    /// spaces read as underscores (`G:Image Link` is `image_link`).
    fn from_header(cell: &str) -> Option<Self> {
        let name = cell.trim().to_ascii_lowercase().replace(' ', "_");
        let name = name.strip_prefix("g:").unwrap_or(&name);
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A row without these cannot become a product, so a file whose header lacks one is refused
/// whole.
const REQUIRED: [Column; 3] = [Column::Id, Column::Title, Column::Price];

/// Where each known column sits in a row, and every header cell as written (for raw JSON).
#[derive(Debug, Clone)]
pub struct Columns {
    index: [Option<usize>; Column::ALL.len()],
    pub names: Vec<String>,
}

impl Columns {
    pub fn from_header(header: &csv::StringRecord) -> Result<Self, FeedError> {
        let mut index = [None; Column::ALL.len()];
        let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        for (at, cell) in names.iter().enumerate() {
            if let Some(column) = Column::from_header(cell) {
                let slot = &mut index[column as usize];
                if slot.is_some() {
                    return Err(FeedError::DuplicateColumn(column.name()));
                }
                *slot = Some(at);
            }
        }
        let columns = Columns { index, names };
        let missing: Vec<&'static str> = REQUIRED
            .into_iter()
            .filter(|c| columns.at(*c).is_none())
            .map(Column::name)
            .collect();
        if !missing.is_empty() {
            return Err(FeedError::MissingColumns {
                missing,
                found: columns.names.iter().take(12).cloned().collect(),
            });
        }
        Ok(columns)
    }

    pub fn at(&self, column: Column) -> Option<usize> {
        self.index[column as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn headers_match_without_case_prefix_or_spaces() {
        let c = Columns::from_header(&header(&[
            "G:ID",
            " Title ",
            "g:price",
            "Image Link",
            "colour",
        ]))
        .unwrap();
        assert_eq!(c.at(Column::Id), Some(0));
        assert_eq!(c.at(Column::Title), Some(1));
        assert_eq!(c.at(Column::Price), Some(2));
        assert_eq!(c.at(Column::ImageLink), Some(3));
        assert_eq!(
            c.at(Column::Color),
            None,
            "colour is an extra column, kept raw"
        );
        assert_eq!(c.names[4], "colour");
    }

    #[test]
    fn a_header_without_id_title_or_price_is_refused_with_what_was_found() {
        match Columns::from_header(&header(&["sku", "title", "cost"])) {
            Err(FeedError::MissingColumns { missing, found }) => {
                assert_eq!(missing, ["id", "price"]);
                assert_eq!(found, ["sku", "title", "cost"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        assert!(matches!(
            Columns::from_header(&header(&["id", "title", "price", "g:id"])),
            Err(FeedError::DuplicateColumn("id"))
        ));
    }
}
