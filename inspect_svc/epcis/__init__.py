"""The shipper's EPCIS 2.0 data: read documents, store the expected pallet -> case -> pack tree."""
